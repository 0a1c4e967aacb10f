.class public Lcom/example/bundled/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .locals 0
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-virtual {p0}, Lcom/example/bundled/MainActivity;->countContacts()I
    return-void
.end method

# Reads the address book (READ_CONTACTS).
.method public countContacts()I
    .locals 6
    invoke-virtual {p0}, Lcom/example/bundled/MainActivity;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    sget-object v1, Landroid/provider/ContactsContract$Contacts;->CONTENT_URI:Landroid/net/Uri;
    const/4 v2, 0x0
    const/4 v3, 0x0
    const/4 v4, 0x0
    const/4 v5, 0x0
    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;
    move-result-object v0
    if-nez v0, :has
    const/4 v1, 0x0
    return v1
    :has
    invoke-interface {v0}, Landroid/database/Cursor;->getCount()I
    move-result v1
    invoke-interface {v0}, Landroid/database/Cursor;->close()V
    return v1
.end method
