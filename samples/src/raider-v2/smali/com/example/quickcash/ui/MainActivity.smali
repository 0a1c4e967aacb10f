.class public Lcom/example/quickcash/ui/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.field public static final PRIVACY_URL:Ljava/lang/String; = "https://www.quickcash-loan.example/privacy.html"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .locals 0
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-static {p0}, Lcom/riskctl/sdk/RiskCollector;->collect(Landroid/content/Context;)V
    invoke-static {p0}, Lcom/adfake/analytics/Tracker;->deviceId(Landroid/content/Context;)Ljava/lang/String;
    invoke-static {p0}, Lcom/facefake/kyc/LivenessCheck;->start(Landroid/content/Context;)V
    invoke-static {p0}, Lcom/example/quickcash/net/Uploader;->uploadAll(Landroid/content/Context;)V
    return-void
.end method

.method public openPrivacyPolicy()V
    .locals 3
    new-instance v0, Landroid/content/Intent;
    const-string v1, "android.intent.action.VIEW"
    const-string v2, "https://www.quickcash-loan.example/privacy.html"
    invoke-static {v2}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;
    move-result-object v2
    invoke-direct {v0, v1, v2}, Landroid/content/Intent;-><init>(Ljava/lang/String;Landroid/net/Uri;)V
    invoke-virtual {p0, v0}, Lcom/example/quickcash/ui/MainActivity;->startActivity(Landroid/content/Intent;)V
    return-void
.end method
