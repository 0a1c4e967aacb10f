.class public Lcom/example/bluetalk/SmsAnnouncer;
.super Landroid/content/BroadcastReceiver;
.source "SmsAnnouncer.java"

.method public constructor <init>()V
    .locals 0
    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V
    return-void
.end method

# Announces the sender's name of an incoming SMS on the headset; nothing leaves the phone.
.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .locals 3
    invoke-static {p2}, Landroid/provider/Telephony$Sms$Intents;->getMessagesFromIntent(Landroid/content/Intent;)[Landroid/telephony/SmsMessage;
    move-result-object v0
    array-length v1, v0
    if-eqz v1, :done
    const/4 v1, 0x0
    aget-object v1, v0, v1
    invoke-virtual {v1}, Landroid/telephony/SmsMessage;->getOriginatingAddress()Ljava/lang/String;
    move-result-object v1
    invoke-static {p1, v1}, Lcom/example/bluetalk/CallerId;->lookupName(Landroid/content/Context;Ljava/lang/String;)Ljava/lang/String;
    move-result-object v1
    const-string v2, "BlueTalk"
    invoke-static {v2, v1}, Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I
    :done
    return-void
.end method
