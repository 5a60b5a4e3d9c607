// A BPMN diagram in the page (bpmn-js navigated viewer: pan with the mouse, zoom with the wheel),
// with markers and badges from `decorate(registry)`. bpmn-js loads only on pages that show one.
import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n.js';

/** The box around the marked shapes, so the first view shows the path large enough to read. */
function boxAround(registry, ids) {
  const shapes = ids.map((id) => registry.get(id)).filter((element) => element && element.width !== undefined);
  if (shapes.length === 0) return null;
  const left = Math.min(...shapes.map((s) => s.x));
  const top = Math.min(...shapes.map((s) => s.y));
  const right = Math.max(...shapes.map((s) => s.x + s.width));
  const bottom = Math.max(...shapes.map((s) => s.y + s.height));
  const pad = 60;
  return { x: left - pad, y: top - pad, width: right - left + 2 * pad, height: bottom - top + 2 * pad };
}

export default function BpmnDiagram({ xml, decorate, label, testId = 'diagram', focusPath = false, children }) {
  const t = useT();
  const container = useRef(null);
  const viewer = useRef(null);
  const applied = useRef([]);
  const focused = useRef(false);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState(null);

  useEffect(() => {
    let cancelled = false;
    setReady(false);
    setError(null);
    (async () => {
      const { default: NavigatedViewer } = await import('bpmn-js/lib/NavigatedViewer');
      if (cancelled) return;
      if (!viewer.current) viewer.current = new NavigatedViewer({ container: container.current });
      await viewer.current.importXML(xml);
      if (cancelled) return;
      applied.current = [];
      focused.current = false;
      viewer.current.get('canvas').zoom('fit-viewport', 'auto');
      setReady(true);
    })().catch((failure) => !cancelled && setError(failure));
    return () => { cancelled = true; };
  }, [xml]);

  useEffect(() => () => viewer.current?.destroy(), []);

  useEffect(() => {
    if (!ready || !viewer.current) return;
    const canvas = viewer.current.get('canvas');
    const registry = viewer.current.get('elementRegistry');
    const overlays = viewer.current.get('overlays');
    for (const [id, css] of applied.current) if (registry.get(id)) canvas.removeMarker(id, css);
    overlays.remove({ type: 'alur' });
    const { markers, overlays: badges } = decorate ? decorate(registry) : { markers: [], overlays: [] };
    for (const [id, css] of markers) canvas.addMarker(id, css);
    for (const badge of badges) {
      const html = document.createElement('div');
      html.className = `diagram-badge ${badge.kind || ''}`;
      html.textContent = badge.text;
      html.title = badge.title || badge.text;
      overlays.add(badge.id, 'alur', { position: { bottom: -4, left: -6 }, html });
    }
    applied.current = markers;
    if (focusPath && !focused.current) {
      focused.current = true;
      const box = boxAround(registry, markers.map(([id]) => id));
      if (box) canvas.viewbox(box);
    }
    container.current.dataset.marked = String(markers.length);
  }, [ready, decorate, focusPath]);

  return (
    <div className="diagram-box">
      {children}
      {error && <p className="diagram-error" role="alert">{t('diagramFailed', { message: error.message })}</p>}
      <div className="diagram" ref={container} role="img" aria-label={label} data-testid={testId}
        data-ready={ready ? 'true' : 'false'} />
      <p className="no-print diagram-hint">
        <button type="button" onClick={() => viewer.current?.get('canvas').zoom('fit-viewport', 'auto')}>
          {t('zoomFit')}
        </button>
      </p>
    </div>
  );
}
