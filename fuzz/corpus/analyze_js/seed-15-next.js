export function useTalkative(region, uuid) {
  useEffect(() => {
    const s = document.createElement('script');
    s.src = `https://${region}.engage.app/api/ecs/v1/loader/${uuid}.js`;
    document.head.appendChild(s);
    window.talkativeCustomConfig = { events: {} }; // expect: late-custom-config
  }, []);
}
export function loadGood(region, uuid) {
  window.talkativeCustomConfig = { events: {} };
  import(`https://${region}.engage.app/api/ecs/v1/loader/${uuid}.js?path=x`);
}
// Text order is not run order across functions: never compared.
function load() {
  import('https://eu.engage.app/api/ecs/v1/loader/abc.js');
}
window.talkativeCustomConfig = { events: {} };
load();
