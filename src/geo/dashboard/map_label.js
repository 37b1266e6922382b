export default function (component) {
  const { data, parentElement } = component;
  const host = parentElement.host || parentElement;
  const frame = host.closest('.st-key-map_frame');
  const name = data && data.name;
  if (!frame || typeof name !== 'string') return;
  const label = () => {
    for (const el of frame.querySelectorAll('.deck-events-root')) {
      if (el.getAttribute('aria-label') !== name) el.setAttribute('aria-label', name);
      if (el.getAttribute('role') !== 'img') el.setAttribute('role', 'img');
    }
  };
  const observer = new MutationObserver(label);
  label();
  observer.observe(frame, { subtree: true, childList: true });
  return () => observer.disconnect();
}
