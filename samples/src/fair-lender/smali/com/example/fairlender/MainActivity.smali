.class public Lcom/example/fairlender/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

# Emergency contact and ID photo are chosen by the user through system pickers:
# no READ_CONTACTS / storage permission and no ContactsContract or MediaStore reference.

.field public static final REQUEST_CONTACT:I = 0x1
.field public static final REQUEST_PHOTO:I = 0x2

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .locals 0
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    return-void
.end method

.method public pickEmergencyContact()V
    .locals 3
    new-instance v0, Landroid/content/Intent;
    const-string v1, "android.intent.action.PICK"
    invoke-direct {v0, v1}, Landroid/content/Intent;-><init>(Ljava/lang/String;)V
    const-string v1, "vnd.android.cursor.dir/phone_v2"
    invoke-virtual {v0, v1}, Landroid/content/Intent;->setType(Ljava/lang/String;)Landroid/content/Intent;
    const/4 v2, 0x1
    invoke-virtual {p0, v0, v2}, Lcom/example/fairlender/MainActivity;->startActivityForResult(Landroid/content/Intent;I)V
    return-void
.end method

.method public pickIdPhoto()V
    .locals 3
    new-instance v0, Landroid/content/Intent;
    const-string v1, "android.provider.action.PICK_IMAGES"
    invoke-direct {v0, v1}, Landroid/content/Intent;-><init>(Ljava/lang/String;)V
    const/4 v2, 0x2
    invoke-virtual {p0, v0, v2}, Lcom/example/fairlender/MainActivity;->startActivityForResult(Landroid/content/Intent;I)V
    return-void
.end method

.method public takeSelfie(Landroid/hardware/camera2/CameraDevice$StateCallback;)V
    .locals 1
    const-string v0, "1"
    invoke-static {p0, v0, p1}, Lcom/example/fairlender/kyc/SelfieCamera;->open(Landroid/content/Context;Ljava/lang/String;Landroid/hardware/camera2/CameraDevice$StateCallback;)V
    return-void
.end method

.method public submit(Ljava/lang/String;)I
    .locals 1
    invoke-static {p1}, Lcom/example/fairlender/net/LoanApi;->apply(Ljava/lang/String;)I
    move-result v0
    return v0
.end method
