// Sample request bodies, one per command: the first documented example of each endpoint
// (the first spec-*-request.json fixture of each command under tests/fixtures/, which a test
// checks), written with the accounts the offline emulator imports.
export const SAMPLES = {
  "friend_add": {
    "From_Account": "alice",
    "AddFriendItem": [
      {
        "To_Account": "bob",
        "AddSource": "AddSource_Type_Web"
      }
    ]
  },
  "friend_import": {
    "From_Account": "alice",
    "AddFriendItem": [
      {
        "To_Account": "bob",
        "AddSource": "AddSource_Type_Import"
      }
    ]
  },
  "friend_update": {
    "From_Account": "alice",
    "UpdateItem": [
      {
        "To_Account": "bob",
        "SnsItem": [
          {
            "Tag": "Tag_SNS_IM_Remark",
            "Value": "Bobby"
          }
        ]
      }
    ]
  },
  "friend_delete": {
    "From_Account": "alice",
    "To_Account": [
      "bob"
    ]
  },
  "friend_delete_all": {
    "From_Account": "alice"
  },
  "friend_check": {
    "From_Account": "alice",
    "To_Account": [
      "bob"
    ],
    "CheckType": "CheckResult_Type_Single"
  },
  "friend_get": {
    "From_Account": "alice",
    "StartIndex": 0
  },
  "friend_get_list": {
    "From_Account": "alice",
    "To_Account": [
      "bob"
    ],
    "TagList": [
      "Tag_SNS_IM_Remark"
    ]
  },
  "black_list_add": {
    "From_Account": "alice",
    "To_Account": [
      "mallory"
    ]
  },
  "black_list_delete": {
    "From_Account": "alice",
    "To_Account": [
      "mallory"
    ]
  },
  "black_list_get": {
    "From_Account": "alice",
    "StartIndex": 0,
    "MaxLimited": 100,
    "LastSequence": 0
  },
  "black_list_check": {
    "From_Account": "alice",
    "To_Account": [
      "mallory"
    ],
    "CheckType": "BlackCheckResult_Type_Single"
  },
  "group_add": {
    "From_Account": "alice",
    "GroupName": [
      "Climbing"
    ]
  },
  "group_delete": {
    "From_Account": "alice",
    "GroupName": [
      "Book club"
    ]
  },
  "group_get": {
    "From_Account": "alice"
  }
};
