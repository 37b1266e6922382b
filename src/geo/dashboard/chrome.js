// Run by the component that sets <html lang> (geo.dashboard.chrome.document_language): the page's
// language, then Streamlit's controls named in it (renameControls, below).
export default function (component) {
  const lang = component.data && component.data.lang;
  if (typeof lang === 'string' && /^[a-z]{2,3}$/.test(lang)) document.documentElement.lang = lang;
  return renameControls(component.data);
}

function renameControls(data) {
  if (!data || !data.exact) return undefined;
  const exact = data.exact;
  const labelled = data.labelled.map(([pattern, out]) => [new RegExp(pattern), out]);
  const translate = (value) => {
    if (Object.prototype.hasOwnProperty.call(exact, value)) return exact[value];
    for (const [pattern, out] of labelled) {
      const m = pattern.exec(value);
      if (m) return out.split('{label}').join(m[1]);
    }
    return null;
  };
  const attributes = ['aria-label', 'title', 'placeholder'];
  const rewrite = () => {
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const name of attributes) {
        const value = el.getAttribute(name);
        const shown = value && translate(value);
        if (shown && shown !== value) el.setAttribute(name, shown);
      }
    }
    for (const el of document.querySelectorAll('[data-testid="stSkipToContent"]')) {
      const shown = translate(el.textContent);
      if (shown && shown !== el.textContent) el.textContent = shown;
    }
  };
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; rewrite(); });
  });
  rewrite();
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: attributes });
  return () => observer.disconnect();
}
