export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const host = parentElement.host || parentElement;
  const frame = host.closest('.st-key-map_frame');
  if (!frame) return;
  let timer = null;
  let known = data && data.width;
  const send = () => {
    const width = Math.round(frame.getBoundingClientRect().width);
    if (width > 0 && width !== known) {
      known = width;
      setStateValue('width', width);
    }
  };
  // A ResizeObserver also reports once as soon as it observes: that is the first report.
  const resized = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(send, 150); });
  resized.observe(frame);
  const along = (at, size, room) => {
    if (at + size <= room) return 0;
    return at - size - 8 >= 0 ? -(size + 8) : Math.max(0, room - size) - at;
  };
  const fit = (tip) => {
    const at = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(tip.style.transform);
    const box = tip.offsetParent;
    if (!at || !box || tip.style.display === 'none') return;
    const shift = `${along(+at[1], tip.offsetWidth, box.clientWidth)}px ${along(+at[2], tip.offsetHeight, box.clientHeight)}px`;
    if (tip.dataset.shift !== shift) {
      tip.dataset.shift = shift;
      tip.style.translate = shift;
    }
  };
  const moved = new MutationObserver((records) => {
    for (const r of records) if (r.target.classList && r.target.classList.contains('deck-tooltip')) fit(r.target);
  });
  moved.observe(frame, { attributes: true, attributeFilter: ['style'], subtree: true });
  return () => { clearTimeout(timer); resized.disconnect(); moved.disconnect(); };
}
