// From an application's events to the elements of its diagram: the path taken, the decisions.
// The same mapping as engine/services/coverage.py: an event names a flow node; a sequence flow is
// taken when a gateway took it, or when both its ends were reached and its source is no gateway.

const ELEMENT_KEY = {
  task_opened: 'task', task_completed: 'task', gateway_passed: 'element', rule_evaluated: 'element',
  script_ran: 'element', connector_called: 'element', end_reached: 'element', event_caught: 'element',
};
const STARTED = ['application_started', 'case_started', 'loan_opened'];

function short(value) {
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return text.length > 28 ? `${text.slice(0, 27)}…` : text;
}

/** What `events` say about the diagram: reached nodes, taken flows, and decisions per element. */
export function pathOf(events) {
  const nodes = new Set();
  const flows = new Set();
  const decisions = new Map();
  let started = false;
  for (const event of events) {
    const payload = event.payload || {};
    if (STARTED.includes(event.type) && payload.data !== undefined) started = true;
    const key = ELEMENT_KEY[event.type];
    if (key && payload[key]) nodes.add(payload[key]);
    if (event.type === 'gateway_passed' && payload.flow) flows.add(payload.flow);
    if (event.type === 'gateway_passed' || event.type === 'rule_evaluated') {
      const seen = decisions.get(payload.element) || { kind: event.type === 'gateway_passed' ? 'gateway' : 'rule', times: 0 };
      seen.times += 1;
      seen.seq = event.seq;
      if (event.type === 'gateway_passed') {
        seen.label = payload.flow_name || payload.flow;
        seen.title = `${payload.name || payload.element}: ${payload.flow_name || payload.flow} → ${payload.target}`;
      } else {
        const outputs = Object.entries(payload.outputs || {}).filter(([name, value]) => name !== 'holidays' && value !== null);
        seen.label = outputs.length ? short(outputs[0][1]) : (payload.rule?.id || '—');
        seen.title = `${payload.name || payload.element}: ${payload.rule?.id || 'no rule matched'}`
          + (outputs.length ? ` (${outputs.map(([name, value]) => `${name} = ${short(value)}`).join(', ')})` : '');
      }
      decisions.set(payload.element, seen);
    }
  }
  return { nodes, flows, decisions, started };
}

/**
 * Markers and overlays for a bpmn-js element registry: taken nodes and flows, current tasks,
 * decisions (gateways and rules) with their outcome as a badge.
 */
export function decoratePath(events, currentTasks) {
  const { nodes, flows, decisions, started } = pathOf(events);
  const current = new Set(currentTasks);
  return (registry) => {
    const markers = [];
    const overlays = [];
    for (const element of registry.getAll()) {
      const { id, type } = element;
      if (type === 'bpmn:StartEvent' && started && !element.parent?.type?.includes('SubProcess')) nodes.add(id);
    }
    for (const element of registry.getAll()) {
      const { id, type } = element;
      if (type === 'bpmn:SequenceFlow') {
        const source = element.businessObject.sourceRef;
        const target = element.businessObject.targetRef;
        const throughGateway = source && /Gateway$/.test(source.$type);
        if (flows.has(id) || (source && target && nodes.has(source.id) && nodes.has(target.id) && !throughGateway)) {
          markers.push([id, 'alur-done']);
        }
      } else if (current.has(id)) {
        markers.push([id, 'alur-current']);
      } else if (decisions.has(id)) {
        markers.push([id, 'alur-decision']);
      } else if (nodes.has(id)) {
        markers.push([id, 'alur-done']);
      }
    }
    for (const [id, decision] of decisions) {
      if (!registry.get(id)) continue;
      overlays.push({ id, kind: decision.kind, title: decision.title,
        text: decision.times > 1 ? `${decision.label} ×${decision.times}` : decision.label });
    }
    return { markers, overlays };
  };
}

/** Markers for a version's coverage: covered and uncovered nodes and flows. */
export function decorateCoverage(coverage) {
  return (registry) => {
    const markers = [];
    for (const id of [...coverage.covered_nodes, ...coverage.covered_flows]) if (registry.get(id)) markers.push([id, 'alur-done']);
    for (const id of [...coverage.uncovered_nodes, ...coverage.uncovered_flows]) if (registry.get(id)) markers.push([id, 'alur-uncovered']);
    return { markers, overlays: [] };
  };
}

/** Markers for a diff, on the newer version: added and changed elements. */
export function decorateDiff(diff) {
  return (registry) => {
    const markers = [];
    for (const id of diff.elements.added) if (registry.get(id)) markers.push([id, 'alur-added']);
    for (const id of diff.elements.changed) if (registry.get(id)) markers.push([id, 'alur-changed']);
    return { markers, overlays: [] };
  };
}
