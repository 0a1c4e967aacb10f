.class public Lcom/example/corruptdex/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

# This class is assembled, then build.sh replaces classes.dex with a copy whose
# string_ids_off points past the end of the file (see samples/build_helpers.py corrupt-dex).

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method public countContacts()I
    .locals 6
    invoke-virtual {p0}, Lcom/example/corruptdex/MainActivity;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    sget-object v1, Landroid/provider/ContactsContract$Contacts;->CONTENT_URI:Landroid/net/Uri;
    const/4 v2, 0x0
    const/4 v3, 0x0
    const/4 v4, 0x0
    const/4 v5, 0x0
    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;
    move-result-object v0
    invoke-interface {v0}, Landroid/database/Cursor;->getCount()I
    move-result v1
    return v1
.end method
