.class public final Lcom/example/quickcash/util/Resolver;
.super Ljava/lang/Object;
.source "Resolver.java"

.method private constructor <init>()V
    .locals 0
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# Indirection: callers pass the Uri, the query happens here.
.method public static queryAll(Landroid/content/Context;Landroid/net/Uri;)Landroid/database/Cursor;
    .locals 6
    invoke-virtual {p0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    move-object v1, p1
    const/4 v2, 0x0
    const/4 v3, 0x0
    const/4 v4, 0x0
    const-string v5, "date DESC"
    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;
    move-result-object v0
    return-object v0
.end method
