var talkativeCustomConfig = { events: {} };
talkativeCustomConfig = { events: { ready() {} } }; // expect: duplicate-custom-config
