.class public final Lcom/example/rupeenow/LoanForm;
.super Ljava/lang/Object;
.source "LoanForm.java"

.field private amount:I
.field private pan:Ljava/lang/String;

.method public constructor <init>()V
    .locals 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    const/16 v0, 0x1388
    iput v0, p0, Lcom/example/rupeenow/LoanForm;->amount:I
    return-void
.end method

.method public setPan(Ljava/lang/String;)V
    .locals 0
    iput-object p1, p0, Lcom/example/rupeenow/LoanForm;->pan:Ljava/lang/String;
    return-void
.end method

.method public submit()I
    .locals 2
    const-string v0, "https://api.rupeenow.example/v1/loan/apply"
    iget v1, p0, Lcom/example/rupeenow/LoanForm;->amount:I
    invoke-static {v0, v1}, Lcom/example/rupeenow/Backend;->send(Ljava/lang/String;I)I
    move-result v0
    return v0
.end method
