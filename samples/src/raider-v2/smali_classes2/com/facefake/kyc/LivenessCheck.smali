.class public final Lcom/facefake/kyc/LivenessCheck;
.super Ljava/lang/Object;
.source "LivenessCheck.java"

# Fake third-party face-liveness (KYC) SDK, new in raider-v2.

.field public static final SDK_VERSION:Ljava/lang/String; = "1.0.3"

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static start(Landroid/content/Context;)V
    .locals 1
    invoke-virtual {p0}, Landroid/content/Context;->getPackageName()Ljava/lang/String;
    return-void
.end method
