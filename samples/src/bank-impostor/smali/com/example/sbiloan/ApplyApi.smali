.class public final Lcom/example/sbiloan/ApplyApi;
.super Ljava/lang/Object;
.source "ApplyApi.java"

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static apply()I
    .locals 2
    new-instance v0, Ljava/net/URL;
    const-string v1, "https://sbi-quickloan.example/loan/apply"
    invoke-direct {v0, v1}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/net/URL;->openConnection()Ljava/net/URLConnection;
    move-result-object v0
    check-cast v0, Ljava/net/HttpURLConnection;
    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->getResponseCode()I
    move-result v1
    return v1
.end method
