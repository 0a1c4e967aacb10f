.class public final Lcom/example/phonebackup/AppCleaner;
.super Ljava/lang/Object;
.source "AppCleaner.java"

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# Lists installed apps so the user can pick ones to uninstall.
.method public static unused(Landroid/content/Context;)Ljava/util/List;
    .locals 2
    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    const/4 v1, 0x0
    invoke-virtual {v0, v1}, Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;
    move-result-object v0
    return-object v0
.end method
