if (isMobile) {
  window.talkativeCustomConfig = { events: {} };
} else {
  window.talkativeCustomConfig = { events: { ready() {} } };
}
