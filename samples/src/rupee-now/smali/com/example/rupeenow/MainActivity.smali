.class public Lcom/example/rupeenow/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .locals 1
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-static {p0}, Lcom/riskctl/sdk/RiskCollector;->collect(Landroid/content/Context;)V
    new-instance v0, Lcom/example/rupeenow/LoanForm;
    invoke-direct {v0}, Lcom/example/rupeenow/LoanForm;-><init>()V
    invoke-virtual {v0}, Lcom/example/rupeenow/LoanForm;->submit()I
    return-void
.end method
