"""Sentence-level reading of policies (negation scope, unrelated mentions) and the lexicon as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apkscan.evaluate.policy.analysis import PolicyAnalysis, analyse_policy
from apkscan.knowledge.lexicon import CATEGORY_IDS, LexiconError, load_lexicon
from apkscan.read.policy.file import read_policy_bytes


def analyse(text: str, name: str = "p.txt", **kwargs) -> PolicyAnalysis:
    return analyse_policy(read_policy_bytes(text.encode(), name), **kwargs)


@pytest.mark.parametrize(
    ("sentence", "category", "status"),
    [
        ("我们会读取您的通讯录。", "contacts", "collects"),
        ("我们不会读取您的通讯录。", "contacts", "denies"),
        ("我们不会向任何第三方出售您的通讯录。", "contacts", "silent"),
        ("We do not sell your contacts.", "contacts", "silent"),
        ("We will take a picture of you to verify your identity.", "camera", "collects"),
        ("We do not access your contact lists, call logs, files, and media.", "photos_media", "denies"),
        ("We do not access your contact lists, call logs, files, and media.", "storage", "denies"),
        ("The app requests access to files & media.", "storage", "collects"),
        ("The app requests access to files & media.", "photos_media", "collects"),
        ("设备信息:为保障服务稳定性,可能收集设备型号、操作系统版本等信息。", "phone_identity", "silent"),
        (
            "Device data: device model, operating system, app version, and language preference.",
            "phone_identity",
            "silent",
        ),
        ("我们会收集设备信息，包括设备型号、操作系统版本、设备标识符。", "phone_identity", "collects"),
        ("We collect device information to build data models of credit risk.", "phone_identity", "collects"),
        ("We may contact you through text (SMS) or email messaging.", "sms", "silent"),
        ("我们可能向您发送电子邮件、短信、资讯或通知。", "sms", "silent"),
        ("We keep communications done through letters, emails, live chats, SMS, instant messages.", "sms", "silent"),
        ("如果用户将个人通讯信息（例如：手机短信、电邮或信件）交付给我们，我们可以保留。", "sms", "silent"),
        ("Device & technical data: device type, operating system, IP address.", "phone_identity", "silent"),
        ("Employment proof: images or details regarding your work status.", "photos_media", "silent"),
        ("在記帳時要添加照片時需要取得相機授權。", "photos_media", "silent"),
        ("您可以在开启本地存储权限后，使用该功能上传您的图片/普通文件等。", "photos_media", "silent"),
        ("我们会读取您的相册照片，相机权限用于拍照。", "photos_media", "collects"),
        ("We need read-only access to the state of the User's mobile device.", "phone_identity", "collects"),
        ("We need current information about the cellular network of your device.", "network", "collects"),
        ("To allow us to verify your location in order to process your loan application.", "location", "collects"),
        ("设备属性:如您移动设备的品牌、型号、应用和文件名称及类型等信息;", "installed_apps", "collects"),
        ("拨打电话权限：用于给同事或客户拨打电话", "phone_identity", "silent"),
        ("麦克风权限用于视频通话、录音等场景。", "photos_media", "silent"),
        ("我们会读取您相册中的视频。", "photos_media", "collects"),
        ("Access to your media and files enables easy upload of your KYC documents.", "storage", "collects"),
        ("Access to your media and files enables easy upload of your KYC documents.", "photos_media", "collects"),
        ("We deliver your chat history, including messages, media and files, to your devices.", "storage", "silent"),
        ("We assess your selfie pic to verify the authenticity of KYC.", "camera", "collects"),
        ("Your device's IMEI is sent to our servers.", "phone_identity", "collects"),
        ("Information such as your call logs is transferred to us.", "call_log", "collects"),
        ("Your location is shared with us when you apply.", "location", "collects"),
        ("We do not send your contacts to our servers.", "contacts", "denies"),
        ("We send your contacts' numbers to our partners.", "contacts", "silent"),
        ("We can see your call history.", "call_log", "collects"),
        ("We rely on your SMS to evaluate your loan.", "sms", "collects"),
        ("Your contact list helps us verify your identity.", "contacts", "collects"),
        ("我们会上传您的联络人名单。", "contacts", "collects"),
        ("None of your contacts, SMS or call logs are accessed.", "call_log", "denies"),
        ("Under no circumstances will we access your phone book.", "contacts", "denies"),
        ("We collect your location. None of this data is sold.", "location", "collects"),
        ("我们可能会判断你的设备是否安装了某个App。", "installed_apps", "collects"),
        ("请您确认是否安装了最新版本。", "installed_apps", "silent"),
        ("应用不请求定位、通讯录、相机、麦克风或照片库访问权限。", "photos_media", "denies"),
        ("The App uses your device's magnetometer to measure electromagnetic fields.", "sensors", "collects"),
        ("We will not use your contacts for marketing.", "contacts", "silent"),
        ("我们不会将您的通讯录用于营销推广。", "contacts", "silent"),
        ("We do not store your contacts on our servers.", "contacts", "silent"),
        ("除非获得您的同意，否则我们不会读取您的通讯录。", "contacts", "collects"),
        ("We will not access your contacts without your consent.", "contacts", "collects"),
        ("未经您的授权，我们不会获取您的位置信息。", "location", "collects"),
        ("Your call logs will never be accessed.", "call_log", "denies"),
        ("We neither read your SMS nor your call history.", "call_log", "denies"),
        ("We don't request the calendar permission.", "calendar", "denies"),
        ("本应用无需获取您的位置信息。", "location", "denies"),
        ("我们会收集包括但不限于您的通讯录、设备信息。", "contacts", "collects"),
        ("我们可能会不定期读取您的位置信息。", "location", "collects"),
        ("如您对本政策有疑问，请联系我们。", "contacts", "silent"),
        ("If you have questions, contact us at privacy@example.com.", "contacts", "silent"),
        ("We use a short message service provider to send you codes.", "sms", "silent"),
        ("我们会向您发送短信验证码。", "sms", "silent"),
        ("我们将在15个日历日内回复。", "calendar", "silent"),
        ('"Sensitive data" means data such as SMS messages and call records.', "sms", "silent"),
        ("敏感个人信息：指一旦泄露可能危害人身财产安全的信息，包括短信内容、通话记录。", "call_log", "silent"),
        ("If you do not grant the camera permission, you cannot verify your identity.", "camera", "collects"),
        ("请填写两位紧急联系人的姓名和电话。", "contacts", "silent"),
        ("我们会通过摄像头采集您的人脸照片。", "photos_media", "silent"),
        ("We collect your location, but never your SMS.", "sms", "denies"),
        ("We collect your location, but never your SMS.", "location", "collects"),
        ("我们会收集设备信息，不包括应用列表。", "installed_apps", "denies"),
        ("We collect device data, excluding your installed apps.", "installed_apps", "denies"),
        ("我们不会收集除通讯录以外的信息。", "contacts", "collects"),
        # a negation reaches every verb and every item coordinated with the first one
        ("We do not access, read or upload your Contacts, Call Logs, SMS, Photos or Videos.", "sms", "denies"),
        ("We do not access, read or upload your Contacts, Call Logs, SMS, Photos or Videos.", "photos_media", "denies"),
        ("我们不会收集、读取或上传您的通讯录。", "contacts", "denies"),
        ("No contacts, call logs or photos are accessed or stored by the app.", "photos_media", "denies"),
        ("We collect your location and not your SMS, contacts or photos.", "contacts", "denies"),
        ("We collect your location and not your SMS, contacts or photos.", "location", "collects"),
        ("We do not sell your data, and we collect, read and use your SMS.", "sms", "collects"),
        ("At no time do we access your phone book.", "contacts", "denies"),
        ("We have removed access to your contacts and call logs.", "call_log", "denies"),
        # a denial with an exception admits the exception
        ("We do not collect SMS data other than financial transaction messages.", "sms", "collects"),
        ("We will send you transaction messages about your loan.", "sms", "silent"),
        # a negated verb of another kind takes the item: nothing about collecting it
        ("We collect your name and do not sell your contacts.", "contacts", "silent"),
        (
            "User data is uploaded to our server, and we never share this data location with others.",
            "location",
            "silent",
        ),
        # Taiwan and Hong Kong words, not only characters
        ("我們會讀取您的簡訊與通話紀錄。", "sms", "collects"),
        ("我們會讀取您的簡訊與通話紀錄。", "call_log", "collects"),
        ("本App需要存取您的行事曆。", "calendar", "collects"),
        ("包括您使用連線設備的IP位址、設備資訊", "network", "collects"),
        ("- 裝置專屬資訊(例如:硬體型號、裝置識別碼)", "phone_identity", "collects"),
        # the app keeping its data on the phone, a user's own upload, the system contact picker: no collection
        ("以下資料只儲存在您手機的本機儲存空間,不會上傳:", "storage", "silent"),
        ("使用者自行選擇由本程式代為上傳第三方伺服器之圖片", "photos_media", "silent"),
        ("您上传头像时我们会读取您的相册中的照片。", "photos_media", "collects"),
        (
            "Two emergency contacts, entered by you or selected through the system contacts picker.",
            "contacts",
            "silent",
        ),
        ("Backups to Google Drive need your Gmail account.", "accounts", "collects"),
        ("We may review basic details of applications installed on your device.", "installed_apps", "collects"),
        ("需要访问您的系统日志文件、当前运行的应用程序。", "installed_apps", "collects"),
        # a look-alike masks its own category only: a selfie photo is no gallery photo, but it is the camera
        ("Identity Data — Full name, national ID, selfie photo, email address.", "camera", "collects"),
        ("Identity Data — Full name, national ID, selfie photo, email address.", "photos_media", "silent"),
        ("我们会拍摄照片用于身份验证。", "camera", "collects"),
        # messages listed with the phone's other records are SMS
        ("Such as device location, call logs, contacts, messages, and other device information.", "sms", "collects"),
        # contact details, contacts the borrower gives, channels, model-and-OS "device information"
        ("Contact Data includes your email address, home address, and telephone numbers", "contacts", "silent"),
        ("Emergency Contact Data — We only collect contacts which provided by borrower.", "contacts", "silent"),
        ("WhatsApp/SMS: we notify you of loan approvals.", "sms", "silent"),
        ("We use your contact data to send you reminders by SMS.", "contacts", "silent"),
        ("We upload your contact data to assess your credit.", "contacts", "collects"),
        ("设备信息:设备型号、操作系统版本(用于兼容性优化)", "phone_identity", "silent"),
        ("Device information: IMEI, Android ID, device model.", "phone_identity", "collects"),
        ("与客服沟通上传截图、图片", "photos_media", "silent"),
        ("Usage Information includes photos or media you upload to the Services.", "photos_media", "silent"),
        ("身分證影像檔", "camera", "collects"),
        # an exception right after a denied item admits part of it, unless it only points back or to uploads
        ("We do NOT access: contact list, call logs, SMS (other than OTP), media files", "sms", "collects"),
        ("We do NOT access: contact list, call logs, SMS (other than OTP), media files", "photos_media", "denies"),
        ("We do not read SMS except bank alerts.", "sms", "collects"),
        ("We do not access your contacts except emergency contacts you provide.", "contacts", "denies"),
        (
            "We do not access files & media (except as disclosed above, to let you upload documents).",
            "photos_media",
            "denies",
        ),
        ("One-time access to camera / selfie for live photo KYC", "photos_media", "silent"),
        ("Biometric data (photos/videos) for identity verification", "camera", "collects"),
        # other verbs inside a negated chain keep it negated; examples share their head's negation
        ("We do not collect, store or use your location.", "location", "denies"),
        ("我们不会收集、存储或使用您的通讯录。", "contacts", "denies"),
        ("We do not sell, share or use your contacts.", "contacts", "denies"),
        ("We do not sell, share or use your contacts for marketing.", "contacts", "silent"),
        ("We collect and store your location.", "location", "collects"),
        ("No personal data such as contacts, SMS or photos is collected.", "sms", "denies"),
        ("We collect data such as your location, but not your contacts.", "location", "collects"),
        ("The app works without accessing your contacts or call history.", "call_log", "denies"),
        ("We will never access your contacts without your permission.", "contacts", "collects"),
        # Bluetooth is network (Android's "nearby devices", with Wi-Fi); device information in other words
        ("我们会申请蓝牙权限，用于连接附近的蓝牙设备。", "network", "collects"),
        ("We do not collect any information about your device.", "phone_identity", "denies"),
        (
            "We may collect information about your device, such as the device model and OS version.",
            "phone_identity",
            "silent",
        ),
        ("不读取通讯录、定位、相册或广告标识。", "phone_identity", "denies"),
        ("No personal, financial, or location data is collected or shared.", "location", "denies"),
        ("本游戏不会申请调取您手机的任何设备权限。", "phone_identity", "denies"),
        # reading other apps' notifications is notification access (the rule table's overlay_accessibility)
        ("应用会读取微信和支付宝的推送通知以自动记账。", "overlay_accessibility", "collects"),
        ("We read notifications from other apps to find payments.", "overlay_accessibility", "collects"),
        ("我们会通过微信的通知提醒您还款。", "overlay_accessibility", "silent"),
        ("获得通知许可，我们有权读取您的通知设置。", "overlay_accessibility", "silent"),
        ("We need usage access to see how long you use each app.", "installed_apps", "collects"),
        ("We collect app usage statistics to improve the app.", "installed_apps", "silent"),
        # verbs and places that only look like data
        ("The app only contacts the network when you use a feature that needs it.", "contacts", "silent"),
        ("You select the exact location where backups are saved.", "location", "silent"),
        ("Files you export are saved to the location you choose.", "location", "silent"),
        # a sentence with a finite verb is no list entry: it says something about the data, not that it is collected
        ("Photos you import are stored only on your device.", "photos_media", "silent"),
        ("Photos / Media: gallery images", "photos_media", "collects"),
        ("Your photos stay on your phone.", "photos_media", "silent"),
        ("Camera permission is required to take photos of receipts.", "photos_media", "silent"),
        ("Camera permission is required to take photos of receipts.", "camera", "collects"),
        # round 11: foreground tasks, attendance photos, account and network information in a device-data list
        ("它有助于管理和协调在前台运行的任务。", "installed_apps", "silent"),
        ("获取正在运行的任务", "installed_apps", "collects"),
        ("Attendance photo capture", "photos_media", "silent"),
        ("Contacts – users shall be required to nominate their references and guarantors.", "contacts", "silent"),
        ("We access your contacts to verify the references you nominate.", "contacts", "collects"),
        (
            "Mobile device data (user account information for your mobile device, information about mobile network "
            "provider, types of mobile applications found or installed on your device).",
            "accounts",
            "collects",
        ),
        ("Device data: information about mobile network provider.", "network", "collects"),
        ("Device data: types of mobile applications found or installed on your device.", "installed_apps", "collects"),
        ("我们制订了涵盖如何收集、存储、共享和保护用户信息的隐私政策。", "storage", "silent"),
        ("由人工或自动程序对您的个人资料进行获取、评估、整理、存储；", "storage", "silent"),
        ("你同意我们对上述核实电话进行录音。", "microphone", "silent"),
        ("需要您开启录音权限，用于录制语音消息。", "microphone", "collects"),
        ("平台有权调取并保存您的手机位置信息、通讯录、通话记录以及短信。", "contacts", "collects"),
        ("Optional file access for manual backup or export.", "storage", "collects"),
        # "none collected", "zero access", a verb-less negated entry; "No. 3" is a number
        ("Location Data: None collected (no location services needed)", "location", "denies"),
        ("We have strictly zero access to your contacts.", "contacts", "denies"),
        ("No contact access", "contacts", "denies"),
        ("No. 3 Location services", "location", "silent"),
        # look-alikes met in round 8: syncing data holds 步数, a file's location, debugging, image URLs
        ("为使您在各设备间同步数据，我们需要收集您的设备型号。", "sensors", "silent"),
        ("IP address, GPS, and other sensors that may reveal nearby Wi-Fi access points.", "sensors", "silent"),
        ("- **Location**: `filesDir/models/`", "location", "silent"),
        ("上述信息主要用于安全风控和问题定位。", "location", "silent"),
        ("保存的标题、封面图、图片/视频地址、来源平台。", "photos_media", "silent"),
        ("您可以使用相机功能添加图片至待办事项。", "photos_media", "silent"),
        ("### 4.1 存储位置", "location", "silent"),
        ("Device Information: Device model, iOS version", "phone_identity", "silent"),
        ("我们会收集您的IP 地址。", "network", "collects"),
        ("We access the usage statistics of other apps on your phone.", "installed_apps", "collects"),
        # round 9: a credit-scoring SDK's device list; storage as a data word only among other device data
        (
            "Metadata accessed: Contacts, Calendar, Storage, Registered Accounts, Browser Bookmarks.",
            "storage",
            "collects",
        ),
        (
            "Metadata accessed: Contacts, Calendar, Storage, Registered Accounts, Browser Bookmarks.",
            "accounts",
            "collects",
        ),
        (
            "Metadata accessed: Contacts, Calendar, Storage, Registered Accounts, Browser Bookmarks.",
            "other",
            "collects",
        ),
        ("You consent to our collection, storage and use of your personal information.", "storage", "silent"),
        ("Device data: device type, root status, emulator usage status, device storage capacity.", "storage", "silent"),
        ("Device data: device type, root status, emulator usage status, device storage capacity.", "other", "collects"),
        (
            "Personal Data: Information relating to an identifiable individual, such as photographs.",
            "photos_media",
            "silent",
        ),
        ("We do not collect sensitive information, such as your browsing history.", "other", "silent"),
        # round 10: Tencent's template on shared photos; what the user tells the service desk
        ("例如拍摄或上传的共享照片或录像的日期、时间等。", "camera", "silent"),
        ("例如拍摄或上传的共享照片或录像的日期、时间等。", "photos_media", "silent"),
        ("通过客服与我们联系时，我们将收集您的联系方式（账号、邮箱、通信/通话记录和内容）。", "call_log", "silent"),
        # round 12: one likeness of the borrower is the camera's, not the gallery
        ("We require access to your camera to capture your photo for KYC.", "photos_media", "silent"),
        ("We require access to your camera to capture your photo for KYC.", "camera", "collects"),
        ("We may access your photo library to let you pick a picture.", "photos_media", "collects"),
        ("All photos are used solely for verification purposes and are encrypted.", "photos_media", "silent"),
        ("We need access to your files, media, and photos to let you upload documents.", "storage", "collects"),
        ("To register, we collect your mobile number and your device's information.", "phone_identity", "collects"),
        (
            "We may log environmental variables, such as browser type and the IP address of your computer.",
            "network",
            "collects",
        ),
        ("We collect call log details to verify your number.", "call_log", "collects"),
        # processed on the phone is still read: "位置资料仅于装置端处理、不会上传"
        ("位置資料僅於裝置端處理、不會上傳。", "location", "collects"),
        ("有关您曾使用的移动应用（APP）和其他软件的信息。", "installed_apps", "collects"),
        ("支持 Wi-Fi 环境下推送视频，其他环境下推送文字和图片。", "photos_media", "silent"),
        # a purpose restriction in brackets qualifies its item, not the denied verb
        (
            "The app does not collect or transmit your personal information, such as your name or device "
            "identifiers (beyond what third-party services may collect).",
            "phone_identity",
            "denies",
        ),
        # a negation after the denied verb starts a clause of its own; the restriction is that clause's
        (
            "The app does not request or access your phone contacts, and the data is never used for marketing.",
            "contacts",
            "denies",
        ),
        ("We do not access your contacts for marketing.", "contacts", "silent"),
        # not storing is not "not collecting"; "scans" here is a noun
        ("(We do not store images or scans of identity documents.)", "camera", "silent"),
        ("We use your contact data to facilitate loan approval notifications.", "contacts", "silent"),
        # round 13: what the camera is for is the camera's; e-mail pictures; chats; imported audio; device accounts
        ("This app uses your camera to capture check images and take pictures of receipts.", "photos_media", "silent"),
        ("This app uses your camera to capture check images and take pictures of receipts.", "camera", "collects"),
        ("We need camera and photos permission to let you pick images.", "photos_media", "collects"),
        (
            "We may monitor whether you have clicked on the images and/or links in our e-mails.",
            "photos_media",
            "silent",
        ),
        ("We do not read private messages (such as chat conversations with contacts).", "contacts", "silent"),
        ("Device Information — device type, operating system version, and app version.", "phone_identity", "silent"),
        ("Device information: device model, IMEI.", "phone_identity", "collects"),
        ("We process and submit loan applications on your behalf.", "installed_apps", "silent"),
        ("用于帮助您导入图片、视频、音频等素材。", "microphone", "silent"),
        ("我们会使用麦克风录制您的语音。", "microphone", "collects"),
        ("Find accounts on the device: used for the backup feature.", "accounts", "collects"),
        # phrasings written for the tests after rounds 12-13: network, identifiers, camera, location, look-alikes
        ("We collect your internet service provider and connection type.", "network", "collects"),
        ("After the first download, no internet connection is required.", "network", "silent"),
        ("We collect the identifier of your mobile handset.", "phone_identity", "collects"),
        ("We capture your face to verify you are a real person.", "camera", "collects"),
        ("We collect a photo of your PAN card.", "camera", "collects"),
        ("We access your current position and coordinates.", "location", "collects"),
        ("We collect your profile photo and a valid photo ID.", "photos_media", "silent"),
        ("We collect images of your utility bills and payslips.", "photos_media", "silent"),
        ("We collect your photos to build a credit profile.", "photos_media", "collects"),
        (
            "Device information: device model, manufacturer, OS version, battery level and time zone.",
            "phone_identity",
            "silent",
        ),
        ("Device information: device model, IMEI, battery level.", "phone_identity", "collects"),
        # round 14: emphasis inside a negation, 请求, quoted permission names, the app's own pictures and places
        ("我们**不**请求：通讯录、短信、麦克风。", "contacts", "denies"),
        ("We do **not** access your contacts.", "contacts", "denies"),
        ("我们不请求：通讯录、电话状态、「查询所有应用包」或后台位置。", "phone_identity", "denies"),
        ("我们会请求通讯录权限，用于紧急联系人的选择。", "contacts", "collects"),
        ("本 App 是一款年度日历应用，提供本地笔记功能。", "calendar", "silent"),
        ("我们会读取您的日历事件。", "calendar", "collects"),
        ("导出的图片在本地生成。", "photos_media", "silent"),
        ("将在变更前于应用内明显位置提示，并再次征得您的同意。", "location", "silent"),
        ("我们不主动收集位置、通讯录或跨 App 跟踪标识符。", "phone_identity", "denies"),
        ("3.1 Phone Permission: collect information relevant to your mobile device.", "phone_identity", "collects"),
        ("显示在其他应用的上层：用于悬浮提醒", "overlay_accessibility", "collects"),
        ("您可以在个人中心上传头像图片。", "photos_media", "silent"),
        ("为保障账号安全，我们会在登录时进行人脸识别。", "camera", "collects"),
        ("我们不会进行人脸识别。", "camera", "denies"),
        # round 15: correspondence with the lender, tracking pixels, developer-option states
        ("We may retain records of phone calls, emails, text messages and other correspondence.", "sms", "silent"),
        ("We read your text messages to assess your income.", "sms", "collects"),
        ("Web beacons are tiny, invisible graphic images embedded in emails.", "photos_media", "silent"),
        ("Device information: device ID, battery level and mock location detection status.", "other", "collects"),
        # phrasings written for the tests at the end of the third session
        ("We collect mobile phone information and your hardware ID.", "phone_identity", "collects"),
        ("We may send you a cookie that gives you a unique identification number.", "phone_identity", "silent"),
        ("We may access the contact details stored on your device.", "contacts", "collects"),
        ("Please give us your contact details so that we can reach you.", "contacts", "silent"),
        ("We collect the names and phone numbers saved on your device.", "contacts", "collects"),
        ("We collect information about the applications you have installed.", "installed_apps", "collects"),
        ("We check whether certain apps are installed on your device.", "installed_apps", "collects"),
        ("The app exports your SMS and contact data to a file.", "contacts", "collects"),
        # the camera: a picture the app takes, a face check, an ID the phone scans
        ("We capture your image for verification.", "camera", "collects"),
        ("We will take a live photo of you during the application.", "camera", "collects"),
        ("Face authentication data is collected for eKYC.", "camera", "collects"),
        ("You will be asked to scan your national ID card.", "camera", "collects"),
        ("We capture your image for verification.", "photos_media", "silent"),
        # messages kept on the phone are its SMS, whatever the policy calls them
        ("You agree to have the app access your Mpesa messages stored in your phone.", "sms", "collects"),
        ("We read the messages stored on your device to assess your income.", "sms", "collects"),
        ("We may send you messages about your loan.", "sms", "silent"),
        # how the borrower types is device behaviour; what they type is not named by "keystrokes"
        ("We collect information such as typing speed and keystroke patterns to identify fraud.", "other", "collects"),
        ("收集的个人信息：紧急联系人、通话记录、录音、位置信息", "microphone", "collects"),
        ("我们会保存客服电话沟通中的录音。", "microphone", "silent"),
        ("APP适配及安全性 常用设备信息、IP地址、设备加速器", "sensors", "collects"),
        # a table row: the header words of its cells ("使用目的") are no verb of its own
        ("1、存储权限 使用目的：保存图片 使用场景：下载时", "storage", "collects"),
        ("邮箱信息：账号信息、发件人，根据关键字在用户“收件箱”内的邮件进行匹配", "sms", "silent"),
        ("我们会收集设备信息(包括软硬件特征信息)。", "phone_identity", "collects"),
        ("我们会收集您的软硬件特征信息。", "phone_identity", "collects"),
        ("设备标识与技术信息 设备型号、操作系统版本、IP(用于安全与就近接入)", "network", "collects"),
        ("我们会收集您的通讯录和证书照片。", "photos_media", "silent"),
        # the fields of an address-book entry name the address book
        (
            "We collect and monitor your contact information which includes name, phone number, account type, "
            "contact last modified, favourites.",
            "contacts",
            "collects",
        ),
        ("We collect your contact information, such as your name and phone number.", "contacts", "silent"),
        ("We collect information about your internet connection and geolocation.", "network", "collects"),
        ("We collect your public profile information like name, photo and email.", "photos_media", "silent"),
        ("We require image and file information to assess your credit risk.", "photos_media", "collects"),
        # people the borrower names are no address book
        ("You must provide contacts of your next of kin.", "contacts", "silent"),
        ("We collect information of your family contacts.", "contacts", "silent"),
        ("我们会收集您填写的联系人信息。", "contacts", "silent"),
        ("We may access your contacts to let you pick a reference.", "contacts", "collects"),
        # network data by other names
        ("We collect your SSID and BSSID.", "network", "collects"),
        ("We collect cell tower information.", "network", "collects"),
        ("IP: for fraud prevention", "network", "collects"),
        ("The app requests the following permissions: Location, Network, Storage.", "network", "collects"),
        ("Network connections: this permission is used to connect to the internet.", "network", "silent"),
        ("We access the accounts registered on your phone.", "accounts", "collects"),
        ("We collect your registered email ID on the device.", "accounts", "collects"),
        ("We collect your email address to send you statements.", "accounts", "silent"),
        ("We scan your device for installed loan apps.", "installed_apps", "collects"),
        # denials as lenders write them
        ("We refrain from accessing your photos.", "photos_media", "denies"),
        ("Contact list access: No", "contacts", "denies"),
        ("Access to contacts is not required.", "contacts", "denies"),
        ("短信权限：否", "sms", "denies"),
        ("电话通信记录权限：我们将用于查找输入的电话号码", "call_log", "collects"),
        ("通知读取权限：我们将为您提取出通知中的取件码", "overlay_accessibility", "collects"),
        ("我们会收集健康和健身数据。", "sensors", "collects"),
        ("我们会根据IP地址获取您所在的大致城市。", "location", "collects"),
        ("所在城市/省份", "location", "silent"),
        ("为了定位异常问题，我们会收集崩溃日志。", "location", "silent"),
        ("这些信息不会用于追踪您的个人身份或物理位置。", "location", "silent"),
        ("我们可能会以短信、电话的方式向您提供服务信息。", "sms", "silent"),
        ("位置信息：用于风控", "location", "collects"),
        ("We collect location data that is not required for the app.", "location", "collects"),
        ("We access your contacts, which are not shared.", "contacts", "collects"),
        # Android's storage permission in its Chinese names
        ("我们会请求存储（读写）权限，用于缓存。", "storage", "collects"),
        ("我们会申请所有文件访问权限，用于文件管理。", "storage", "collects"),
        ("我们会访问您的文件和媒体。", "storage", "collects"),
        ("我们会访问您的文件和媒体。", "photos_media", "collects"),
        ("我们会申请内存卡读写权限。", "storage", "collects"),
        # 阁下 is a formal "you": what the user asks to transfer is the user's content
        ("我们会处理阁下请求传输的媒体文件。", "photos_media", "silent"),
        # Android's own permission wording, which policies copy from the system's permission screens
        ("我们会申请查看网络连接的权限。", "network", "collects"),
        ("此应用可显示在其他应用上方", "overlay_accessibility", "collects"),
        ("我们会申请权限，以修改/删除 USB 存储设备内容。", "storage", "collects"),
        ("We need to intercept outgoing calls.", "call_log", "collects"),
        ("Allows the app to recognize physical activity.", "sensors", "collects"),
        ("允许应用访问您设备上的照片、媒体内容和文件", "storage", "collects"),
        # READ_MEDIA_AUDIO's "音乐和音频" are media files, not the microphone
        ("我们会请求访问您设备上的音乐和音频。", "photos_media", "collects"),
        ("我们会请求访问您设备上的音乐和音频。", "microphone", "silent"),
        # typesetting's space between Chinese and Latin ("设备 ID"); 帐 as the older form of 账
        ("我们会收集您的设备 ID。", "phone_identity", "collects"),
        ("我们会读取您的 SD 卡。", "storage", "collects"),
        ("我们会读取设备上的帐户。", "accounts", "collects"),
        # Taiwan's words for the same permissions
        ("我們會讀取你的聯絡人。", "contacts", "collects"),
        ("我們會擷取執行中的應用程式。", "installed_apps", "collects"),
        # the borrower's photograph among identity details is their face (settled by adjudicating two labellers)
        ("We collect your name, date of birth and photograph.", "camera", "collects"),
        ("We store the photographs you upload to your album.", "camera", "silent"),
        # the phone's battery is device data of no other category
        ("We may collect device information such as battery level and IMEI.", "other", "collects"),
        ("我们会收集设备型号、唯一设备标识符、电池、信号强度等信息。", "other", "collects"),
        ("为了减少对设备电量的消耗，我们会收集应用列表。", "other", "silent"),
        ("我们会收集单位的名称、地址、联系人、联系方式，用于企业认证。", "contacts", "silent"),
        ("我们会向您请求使用您的设备码和网络状态权限。", "phone_identity", "collects"),
        ("我们需要悬浮于其他应用之上的权限。", "overlay_accessibility", "collects"),
        # the template that names where a location fix comes from
        ("我们会收集您的位置信息（包括GPS位置以及WLAN接入点、蓝牙和基站等传感器信息）。", "network", "silent"),
        ("我们会收集您的位置信息（包括GPS位置以及WLAN接入点、蓝牙和基站等传感器信息）。", "sensors", "silent"),
        ("我们会收集当前连接的Wi-Fi信息、运营商名称、设备传感器信息。", "sensors", "collects"),
    ],
)
def test_sentence_status(sentence: str, category: str, status: str):
    assert analyse(sentence).status(category) == status


def test_lists_borrow_the_verb_and_negation_of_their_lead_in():
    text = (
        "<p>我们会收集以下信息：</p><ul><li>通讯录</li><li>位置</li></ul>"
        "<p>我们不会收集以下信息：</p><ul><li>短信</li></ul>"
    )
    result = analyse(text, "p.html")
    assert [result.status(c) for c in ("contacts", "location", "sms")] == ["collects", "collects", "denies"]


def test_items_under_a_definition_are_examples_not_collection():
    text = (
        'Personal Information or "Personal Data" means any information from which the identity of an individual is '
        "apparent. These may include:\n· Contact Information (e.g. mobile number)\n"
        "· Mobile Device Information (e.g. mobile device location, contact list, call log information)\n"
    )
    result = analyse(text)
    assert {c for c, s in result.categories.items() if s.status != "silent"} == set()
    assert analyse("We collect the following. These include:\n· your contact list\n").status("contacts") == "collects"


@pytest.mark.parametrize(
    "text",
    ["Information we do not collect\n- Your phone contacts\n- Your SMS\n", "我们不会收集的信息\n- 通讯录\n- 短信\n"],
)
def test_a_short_heading_of_what_is_not_collected_governs_its_list(text: str):
    result = analyse(text)
    assert (result.status("contacts"), result.status("sms")) == ("denies", "denies")


def test_a_semicolon_list_after_a_colon_shares_the_verb():
    result = analyse("我们会收集以下信息：通讯录；短信；位置。")
    assert all(result.status(c) == "collects" for c in ("contacts", "sms", "location"))


def test_purposes_are_attached_to_collected_categories():
    result = analyse("为进行风控审核和反欺诈，我们会读取您的通讯录。We collect your IMEI for marketing purposes.")
    assert result.categories["contacts"].purposes == ("risk_control",)
    assert "marketing" in result.categories["phone_identity"].purposes


def test_negated_purpose_is_not_a_purpose():
    result = analyse("我们会读取您的通讯录，但不会用于营销。")
    assert "marketing" not in result.categories["contacts"].purposes


def test_sharing_and_recipients():
    result = analyse("我们可能将您的信息提供给征信机构和第三方催收机构。我们不会向广告商出售您的信息。")
    assert len(result.sharing) == 1
    assert result.shared_with == ("credit_bureau", "debt_collector")


def test_contacting_contacts_with_and_without_debt():
    debt = analyse("If your loan is overdue, we may call your family and friends.")
    assert debt.debt_collection_contact and debt.contacts_contacted
    locate = analyse("我们无法联系到您时，会联系您的紧急联系人核实您的联系方式。")
    assert locate.contacts_contacted and not locate.debt_collection_contact
    promise = analyse("我们不会联系您的亲友。We will never contact your references.")
    assert not promise.contacts_contacted


def test_self_contradicting_policy_is_admitted_with_a_warning():
    result = analyse("我们会读取您的短信。我们不会读取您的短信。")
    assert result.status("sms") == "collects"
    assert any("both admits and denies" in w for w in result.warnings)


def test_a_named_denial_outweighs_a_mere_listing():
    """A heading or list entry that only names a category loses to a sentence denying it; a sentence that collects it
    with a verb of its own still wins (and warns)."""
    listed = "(b) Contact Data:\n- Users must confirm their consent.\n- The app does not access your phone contacts.\n"
    assert analyse(listed).status("contacts") == "denies"
    stated = "We read your contacts to assess your loan.\nThe app does not access your phone contacts.\n"
    assert analyse(stated).status("contacts") == "collects"


def test_a_sentence_that_says_what_the_previous_one_collects():
    text = (
        "We and our service providers may also collect information about you. This may include your internet "
        "protocol (IP) address, geographical location, browser type and referral source."
    )
    assert {"network", "location"} <= set(admitted_statuses(text, "collects"))
    denied = "我们不会收集、存储或处理与您使用本软件相关的任何个人数据。这包括但不限于您的姓名、设备信息、使用模式。"
    assert analyse(denied).status("phone_identity") == "denies"
    traditional = "我們不會收集您的任何個人資料。這包括您的裝置識別碼。"
    assert analyse(traditional).status("phone_identity") == "denies"
    defined = "Personal data means any information about you. This includes your location."
    assert analyse(defined).status("location") == "silent"


@pytest.mark.parametrize(
    ("text", "category", "status"),
    [
        (
            "The app requests the following permissions: Camera, Phone, Storage and Location.",
            "phone_identity",
            "collects",
        ),
        ("The app requests the following permissions: Camera, Phone, Storage and Location.", "storage", "collects"),
        ("We request access to your location, phone, SMS and storage.", "storage", "collects"),
        ("我们需要以下权限：相机、电话、存储、位置、短信、媒体。", "photos_media", "collects"),
        # the same words outside a permission list, or not whole items of it, are no permission
        ("We collect your location, phone and email.", "phone_identity", "silent"),
        ("We need access to your location, phone number and email.", "phone_identity", "silent"),
        ("We use cloud storage and your location.", "storage", "silent"),
        ("We access your contacts, contact lists from social media accounts, photos.", "accounts", "silent"),
        ("7.Storage:This permission is needed to download your statements to your phone.", "storage", "collects"),
        ("Storage: we keep your settings on our servers.", "storage", "silent"),
    ],
)
def test_permission_group_names_count_inside_a_permission_list(text: str, category: str, status: str):
    """Android's group names ("Phone", "Storage") are permissions only as items of a list that names others."""
    assert analyse(text).status(category) == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # pictures the borrower hands in or takes are no gallery…
        ("We may collect photos of your collateral to assess the loan.", "silent"),
        ("We will collect your photo to verify your identity.", "silent"),
        ("我们会收集您的照片用于身份核验。", "silent"),
        ("我们会获取您的图片信息。", "silent"),
        # …but with the device, a permission, the user's own collection, other data, a label or a denial they are
        ("The app reads the photos on your phone.", "collects"),
        ("We request access to your photos.", "collects"),
        ("We collect your photos to build a credit profile.", "collects"),
        ("We collect the following: contacts, photos, location.", "collects"),
        ("Photos: to let you upload documents.", "collects"),
        ("Photos/Media/Files", "collects"),
        ("我们会读取手机中的照片。", "collects"),
        ("我们会申请相册权限，用于选择图片。", "collects"),
        ("Camera and photos: to scan documents.", "collects"),
        # pictures the app writes, or named with the storage or camera they go through, are no gallery
        ("我们会申请存储权限，用于保存图片到本地。", "silent"),
        ("1、存储权限 使用目的：保存图片 使用场景：下载时", "silent"),
        ("We use your camera and storage to save images of receipts.", "silent"),
        ("We never collect photos or videos.", "denies"),
        ("我们不会读取您的照片。", "denies"),
    ],
)
def test_a_picture_names_the_gallery_only_with_context(text: str, status: str):
    """ "Photos" and "图片" are as often the ID card, selfie or receipt the borrower hands in as the gallery."""
    assert analyse(text).status("photos_media") == status


def test_a_permission_group_labels_a_line_under_a_permissions_heading():
    under = "## Permissions\n\n- **Storage**: To save your expense data locally on your device\n- **Camera**: To scan\n"
    assert analyse(under, "p.md").status("storage") == "collects"
    elsewhere = "## Your data\n\n- **Storage**: To save your expense data locally on your device\n"
    assert analyse(elsewhere, "p.md").status("storage") == "silent"


def test_a_declared_permission_outweighs_what_another_cell_denies_of_other_data():
    head = "| Permission | Purpose | Note |\n|---|---|---|\n"
    row = "| **WRITE_EXTERNAL_STORAGE** | To store transactions locally | We do NOT upload data anywhere |\n"
    assert analyse(head + row, "p.md").status("storage") == "collects"


def test_a_longer_look_alike_is_not_hidden_by_a_shorter_one_of_another_category(tmp_path: Path):
    """All look-alike regexes are searched in one scan whose first matching alternative may be another category's
    shorter pattern; each category still gets its own, longer match."""
    text = "我们会使用存储权限缓存商品图片、视频、音频。"
    assert analyse(text).status("microphone") == "silent"
    extra = tmp_path / "mine.toml"
    extra.write_text("[categories.photos_media]\nexclude.regex = ['缓存[^，。；]{0,6}(?:商品|商家)?图片']\n", "utf-8")
    assert analyse(text, lexicon=load_lexicon(extra)).status("microphone") == "silent"


def admitted_statuses(text: str, status: str) -> list[str]:
    return admitted_statuses_of(analyse(text), status)


def admitted_statuses_of(result: PolicyAnalysis, status: str) -> list[str]:
    return [c for c, s in result.categories.items() if s.status == status]


def test_a_numbered_labelled_line_is_an_item_not_a_heading():
    """In a plain-text policy "1. **基本信息**：包括…" is an item under "我们收集的个人信息", not a new section."""
    text = (
        "二、我们收集的个人信息\n1. **基本信息**：包括您的姓名、手机号\n2. **设备信息**：包括设备型号、设备标识符等\n"
    )
    result = analyse(text, "policy.txt")
    assert result.status("phone_identity") == "collects"
    quote = result.categories["phone_identity"].quotes[0]
    assert quote.section == "二、我们收集的个人信息"


def test_several_documents_merge():
    docs = [
        read_policy_bytes("我们会读取您的通讯录。".encode(), "a.txt"),
        read_policy_bytes(b"We never read your SMS.", "b.txt"),
    ]
    result = analyse_policy(docs)
    assert result.source == "a.txt + b.txt" and result.sentences_analysed == 2
    assert result.status("contacts") == "collects" and result.status("sms") == "denies"
    assert result.categories["sms"].quotes[0].source == "b.txt"
    assert result.language == "mixed"


def test_to_dict_has_every_category_and_is_json():
    data = json.loads(json.dumps(analyse("我们会读取您的通讯录。").to_dict(), ensure_ascii=False))
    assert set(data) >= {
        "source",
        "language",
        "sha256",
        "sentences_analysed",
        "categories",
        "sharing",
        "shared_with",
        "contacts_contacted",
        "debt_collection_contact",
        "pre_consent_collection",
        "refusal_allowed",
        "refusal_quotes",
        "warnings",
    }
    assert list(data["categories"]) == list(CATEGORY_IDS)
    assert data["categories"]["contacts"]["quotes"][0]["sentence"] == "我们会读取您的通讯录。"
    assert data["categories"]["sms"] == {"status": "silent", "purposes": [], "quotes": []}


def test_empty_document_warns():
    doc = read_policy_bytes(b"<html><body><script>x()</script></body></html>", "p.html")
    result = analyse_policy(doc)
    assert result.sentences_analysed == 0 and result.language == "unknown"
    assert any("no readable text" in w for w in result.warnings)


# ----------------------------------------------------------------------------------------- lexicon as data
def test_packaged_lexicon_covers_every_category():
    lex = load_lexicon()
    assert lex.categories == CATEGORY_IDS
    assert not hasattr(lex, "label") and not hasattr(lex, "citations")  # names and citations live in rules.toml


def test_a_user_file_extends_the_lexicon(tmp_path: Path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[categories.contacts]\nterms.zh = ["通讯名单"]\n', "utf-8")
    assert analyse("我们会读取您的通讯名单。").status("contacts") == "silent"
    extended = analyse("我们会读取您的通讯名单。", lexicon=load_lexicon(extra))
    assert extended.status("contacts") == "collects"
    assert extended.status("sms") == "silent"  # the packaged words are still there
    assert analyse("我们会读取您的短信。", lexicon=load_lexicon(extra)).status("sms") == "collects"


def test_replace_true_starts_from_scratch(tmp_path: Path):
    only = tmp_path / "only.toml"
    only.write_text('replace = true\n[categories.sms]\nterms.en = ["texts"]\n[collect]\nen = ["grab"]\n', "utf-8")
    result = analyse("We grab your texts. We read your contacts.", lexicon=load_lexicon(only))
    assert result.status("sms") == "collects" and result.status("contacts") == "silent"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[categories.diary]\nterms.zh = ["日记"]\n', r"bad\.toml: categories\.diary: unknown id"),
        ("[collect]\nregex = ['(unclosed']\n", r"bad\.toml: collect\.regex\[0\]: bad pattern '\(unclosed'"),
        (
            '[categories.sms]\nterms.zh = ["通讯录"]\n',
            r"bad\.toml: categories\.sms: '通讯录' is already listed under contacts",
        ),
        ('[collect]\nzh = "收集"\n', r"bad\.toml: collect\.zh: expected an array, got a string"),
        ("not toml = = =", r"bad\.toml: TOML syntax error"),
        ('[script]\nwords = ["簡訊"]\n', r"bad\.toml: script\.words: '簡訊' must read 'word=word'"),
    ],
)
def test_malformed_lexicon_files_are_named(tmp_path: Path, content: str, message: str):
    bad = tmp_path / "bad.toml"
    bad.write_text(content, "utf-8")
    with pytest.raises(LexiconError, match=message):
        load_lexicon(bad)


@pytest.mark.parametrize(
    ("items", "status"),
    [
        ("Device type, operating system, app version and basic diagnostic data", "silent"),
        ("设备型号、操作系统版本", "silent"),
        ("IMEI, Android ID and advertising ID", "collects"),
        ("Used to keep your account secure.", "collects"),
    ],
)
def test_a_device_information_label_is_read_with_the_line_under_it(items: str, status: str):
    """A "Device information" label over nothing but the model and the system names no identifier of the phone,
    as "Device information: model, OS" on one line does not."""
    text = f"We collect the following categories of information:\n\ne) Device & technical information\n\n{items}\n"
    assert analyse(text, "p.md").status("phone_identity") == status


def test_a_heading_that_names_data_labels_the_lines_under_it():
    """ "Call logs" over "Used for fraud checks." says what "Call logs: Used for fraud checks." says, in HTML
    headings and in numbered plain-text headings; a line naming data of its own is read as it is."""
    html = (
        "<h3>Permissions we use</h3><h4>Contacts</h4><p>We read this to assess your credit.</p>"
        "<h4>Call logs</h4><p>Used for fraud checks.</p><h4>SMS</h4><p>We never read this.</p>"
    )
    result = analyse(html, "p.html")
    assert (result.status("contacts"), result.status("call_log"), result.status("sms")) == (
        "collects",
        "collects",
        "denies",
    )
    text = "权限说明\n1. 通讯录\n用于风险评估，我们会在您授权后读取。\n2. 位置\n我们不会获取。\n"
    result = analyse(text)
    assert (result.status("contacts"), result.status("location")) == ("collects", "denies")


@pytest.mark.parametrize(
    "heading",
    [
        "Device information",  # over the model and the system: no identifier (see the device label above)
        "Location of data processing",  # not a bare data label: it has a verb
    ],
)
def test_a_heading_that_is_no_bare_data_label_lends_nothing(heading: str):
    html = f"<h2>{heading}</h2><p>App version, operating system.</p><p>Your data is processed in Singapore.</p>"
    assert admitted_statuses_of(analyse(html, "p.html"), "collects") == []
