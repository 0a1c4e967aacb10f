.class public Lcom/example/quickcash/ui/LoanWebActivity;
.super Landroid/app/Activity;
.source "LoanWebActivity.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

# Exported without a permission: any app can open it with an arbitrary "url" extra.
.method protected onCreate(Landroid/os/Bundle;)V
    .locals 3
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    new-instance v0, Landroid/webkit/WebView;
    invoke-direct {v0, p0}, Landroid/webkit/WebView;-><init>(Landroid/content/Context;)V
    invoke-virtual {p0}, Lcom/example/quickcash/ui/LoanWebActivity;->getIntent()Landroid/content/Intent;
    move-result-object v1
    const-string v2, "url"
    invoke-virtual {v1, v2}, Landroid/content/Intent;->getStringExtra(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v1
    invoke-virtual {v0, v1}, Landroid/webkit/WebView;->loadUrl(Ljava/lang/String;)V
    invoke-virtual {p0, v0}, Lcom/example/quickcash/ui/LoanWebActivity;->setContentView(Landroid/view/View;)V
    return-void
.end method
