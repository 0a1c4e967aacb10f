.class public final Lid/kilatdana/app/ui/PromoBanner;
.super Ljava/lang/Object;
.source "PromoBanner.java"

# The one class the re-skin adds to contact-raider's code: a promotional banner text.

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static text()Ljava/lang/String;
    .locals 1
    const-string v0, "Pinjaman cair dalam 5 menit"
    return-object v0
.end method
