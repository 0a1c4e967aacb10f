.class public final Lcom/example/emicalc/EmiMath;
.super Ljava/lang/Object;
.source "EmiMath.java"

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# Annual rate in percent -> monthly rate as a fraction.
.method public static monthlyRate(D)D
    .locals 2
    const-wide v0, 0x4092c00000000000L
    div-double/2addr p0, v0
    return-wide p0
.end method
