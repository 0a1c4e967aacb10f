.class public final Lcom/adfake/analytics/Tracker;
.super Ljava/lang/Object;
.source "Tracker.java"

# Fake advertising/analytics SDK shipped in classes2.dex.

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static deviceId(Landroid/content/Context;)Ljava/lang/String;
    .locals 2
    invoke-virtual {p0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    const-string v1, "android_id"
    invoke-static {v0, v1}, Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method
