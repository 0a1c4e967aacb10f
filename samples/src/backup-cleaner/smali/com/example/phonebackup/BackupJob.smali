.class public Lcom/example/phonebackup/BackupJob;
.super Landroid/app/Service;
.source "BackupJob.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Service;-><init>()V
    return-void
.end method

.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .locals 1
    const/4 v0, 0x0
    return-object v0
.end method

.method public onStartCommand(Landroid/content/Intent;II)I
    .locals 2
    invoke-static {}, Landroid/os/Environment;->getExternalStorageDirectory()Ljava/io/File;
    move-result-object v0
    invoke-static {p0, v0}, Lcom/example/phonebackup/VcardWriter;->writeAll(Landroid/content/Context;Ljava/io/File;)I
    invoke-static {p0, v0}, Lcom/example/phonebackup/MessageArchive;->archive(Landroid/content/Context;Ljava/io/File;)I
    invoke-static {p0}, Lcom/example/phonebackup/AppCleaner;->unused(Landroid/content/Context;)Ljava/util/List;
    const/4 v1, 0x2
    return v1
.end method
