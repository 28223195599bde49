// At the top level of a script a throw ends it.
if (!window.talkativeApi) throw new Error('no widget');
window.talkativeApi.ui.show();
