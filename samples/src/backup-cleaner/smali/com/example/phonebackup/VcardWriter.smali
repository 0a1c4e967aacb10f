.class public final Lcom/example/phonebackup/VcardWriter;
.super Ljava/lang/Object;
.source "VcardWriter.java"

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# Writes every contact as a vCard line to a local file; returns the count.
.method public static writeAll(Landroid/content/Context;Ljava/io/File;)I
    .locals 9
    new-instance v8, Ljava/io/FileWriter;
    new-instance v6, Ljava/io/File;
    const-string v7, "contacts.vcf"
    invoke-direct {v6, p1, v7}, Ljava/io/File;-><init>(Ljava/io/File;Ljava/lang/String;)V
    invoke-direct {v8, v6}, Ljava/io/FileWriter;-><init>(Ljava/io/File;)V
    invoke-virtual {p0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    sget-object v1, Landroid/provider/ContactsContract$Data;->CONTENT_URI:Landroid/net/Uri;
    const/4 v2, 0x0
    const/4 v3, 0x0
    const/4 v4, 0x0
    const/4 v5, 0x0
    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;
    move-result-object v0
    const/4 v7, 0x0
    :loop
    invoke-interface {v0}, Landroid/database/Cursor;->moveToNext()Z
    move-result v1
    if-eqz v1, :end
    const/4 v1, 0x1
    invoke-interface {v0, v1}, Landroid/database/Cursor;->getString(I)Ljava/lang/String;
    move-result-object v1
    invoke-virtual {v8, v1}, Ljava/io/FileWriter;->write(Ljava/lang/String;)V
    add-int/lit8 v7, v7, 0x1
    goto :loop
    :end
    invoke-virtual {v8}, Ljava/io/FileWriter;->close()V
    return v7
.end method
