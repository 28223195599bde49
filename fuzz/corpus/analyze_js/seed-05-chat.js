// A greeting before the call: columns differ in UTF-8 and UTF-16 (😀 is 4 bytes, 2 units).
const greeting = '😀 héllo'; talkativeApi.actions.triggerAction('strat-chat');
