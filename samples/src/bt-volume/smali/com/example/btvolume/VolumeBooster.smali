.class public final Lcom/example/btvolume/VolumeBooster;
.super Ljava/lang/Object;
.source "VolumeBooster.java"

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# Sets the music stream to its maximum volume.
.method public static boost(Landroid/content/Context;)V
    .locals 4
    const-string v0, "audio"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/media/AudioManager;
    const/4 v1, 0x3
    invoke-virtual {v0, v1}, Landroid/media/AudioManager;->getStreamMaxVolume(I)I
    move-result v2
    const/4 v3, 0x0
    invoke-virtual {v0, v1, v2, v3}, Landroid/media/AudioManager;->setStreamVolume(III)V
    return-void
.end method
