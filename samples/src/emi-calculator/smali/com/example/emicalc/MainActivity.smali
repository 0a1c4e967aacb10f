.class public Lcom/example/emicalc/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .locals 2
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    const-wide v0, 0x40f86a0000000000L
    invoke-static {v0, v1}, Lcom/example/emicalc/EmiMath;->monthlyRate(D)D
    return-void
.end method
