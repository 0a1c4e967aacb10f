.class public final Lcom/example/cashkilat/Promo;
.super Ljava/lang/Object;
.source "Promo.java"

# Marketing texts built into the code (not resources): red flags and loan terms.

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static banner()Ljava/lang/String;
    .locals 2
    const-string v0, "秒批！黑户可借，不看征信"
    const-string v1, "No credit check - 100% approval"
    return-object v0
.end method

.method public static terms()Ljava/lang/String;
    .locals 2
    const-string v0, "7天到期，服务费提前扣除"
    const-string v1, "Pinjaman 7 hari tanpa jaminan"
    return-object v0
.end method
