.class public Lcom/example/cashkilat/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .locals 0
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-static {}, Lcom/example/cashkilat/Promo;->banner()Ljava/lang/String;
    invoke-static {}, Lcom/example/cashkilat/Promo;->terms()Ljava/lang/String;
    return-void
.end method
