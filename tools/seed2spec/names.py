"""Names for the shapes `hoist.py` lifts into components.

Keys are the names derived from where a shape sits (with a numeric suffix
when two different shapes derive the same one); values are what a Rust user
reads. Shapes that differ only in their field descriptions stay distinct here
(the spec keeps every description), so some pairs carry a qualifier.
"""
NAMES = {
    "UserQo": "UserQos",
    "LiveMeeting": "ZoomRoomMeeting",
    "200": "WebinarRegistrationSettings",
    "Settings": "ArchiveSettings",
    "2002": "ParticipantShareList",
    "2003": "PageInfo",
    "2004": "DateRange",
    "ChatEtiquetteTool": "ChatEtiquetteToolUpdate",
    "ChatEtiquetteTool2": "ChatEtiquetteTool",
    "SessionSecurity": "SessionSecuritySettings",
    "EmailNotification": "EmailNotificationSettings",
    "EmailNotification2": "EmailNotificationLockSettings",
    "AsInput": "ParticipantVideoQos",
    "AsInput2": "VideoQos",
    "AudioDeviceFromCrc": "ParticipantQosMetrics",
    "AudioDeviceFromCrc2": "QosMetrics",
    "ParticipantVideoQos2": "VideoFrameMetrics",
    "AudioDeviceToRwg": "RwgAudioQosMetrics",
    "AsDeviceFromCrc": "ParticipantDeviceVideoQos",
    "AsDeviceFromCrc2": "DeviceVideoQos",
    "ZoomRooms": "ZoomRoomsSettings",
    "Integration": "IntegrationSettings",
    "Audio": "QualityScore",
    "Option": "SurveyQuestionOption",
    "SubQuestion": "SurveySubQuestion",
    "AudioCall": "ParticipantAudioCall",
    "AllowedCountry": "CountryOrRegion",
    "MailCalendar": "MailCalendarSettings",
    "Feature": "FeatureSettings",
    "GeneralSetting": "GeneralSettings",
    "OtherOptions": "OtherOptionsLockSettings",
}
