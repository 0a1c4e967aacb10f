.class public Lcom/stub/StubApp;
.super Landroid/app/Application;
.source "StubApp.java"

# 360 Jiagu-style shell: the real classes are decrypted at run time by libjiagu.
# com.example.packedloan.MainActivity is declared in the manifest but absent from classes.dex.

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Application;-><init>()V
    return-void
.end method

.method public static native interface5(Landroid/app/Application;)V
.end method

.method protected attachBaseContext(Landroid/content/Context;)V
    .locals 1
    invoke-super {p0, p1}, Landroid/app/Application;->attachBaseContext(Landroid/content/Context;)V
    const-string v0, "jiagu"
    invoke-static {v0}, Ljava/lang/System;->loadLibrary(Ljava/lang/String;)V
    return-void
.end method

.method public onCreate()V
    .locals 0
    invoke-super {p0}, Landroid/app/Application;->onCreate()V
    invoke-static {p0}, Lcom/stub/StubApp;->interface5(Landroid/app/Application;)V
    return-void
.end method
