.class public final Lcom/example/fairlender/kyc/SelfieCamera;
.super Ljava/lang/Object;
.source "SelfieCamera.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# One-time KYC selfie through Camera2 (CAMERA permission).
.method public static open(Landroid/content/Context;Ljava/lang/String;Landroid/hardware/camera2/CameraDevice$StateCallback;)V
    .locals 2
    const-string v0, "camera"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/hardware/camera2/CameraManager;
    const/4 v1, 0x0
    invoke-virtual {v0, p1, p2, v1}, Landroid/hardware/camera2/CameraManager;->openCamera(Ljava/lang/String;Landroid/hardware/camera2/CameraDevice$StateCallback;Landroid/os/Handler;)V
    return-void
.end method
