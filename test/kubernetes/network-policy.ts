import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { K8sObject } from './kustomize.js';

/** One end of a connection: a pod (namespace, labels, named ports) or an address outside the cluster. */
export type Endpoint =
  | {
      name: string;
      namespace: string;
      namespaceLabels?: Record<string, string>;
      labels: Record<string, string>;
      ports?: Record<string, number>;
    }
  | { name: string; ip: string };

type Pod = Extract<Endpoint, { namespace: string }>;
type Protocol = 'TCP' | 'UDP' | 'SCTP';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]!);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]!);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}

function ipv4(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255))
    throw new Error(`not an IPv4 address: ${address}`);
  return parts.reduce((value, part) => value * 256 + part, 0);
}

function inCidr(address: string, cidr: string): boolean {
  const [network = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(network) / size);
}

const isPod = (endpoint: Endpoint): endpoint is Pod => 'namespace' in endpoint;
const namespaceLabels = (pod: Pod) => ({ 'kubernetes.io/metadata.name': pod.namespace, ...pod.namespaceLabels });

/**
 * Whether a peer of a policy in `policyNamespace` matches an endpoint. An ipBlock matches only
 * addresses outside the cluster: what it does to pod addresses is left to each network plugin.
 */
function peerMatches(peer: INetworkPolicyPeer, policyNamespace: string, endpoint: Endpoint): boolean {
  if (peer.ipBlock !== undefined) {
    if (isPod(endpoint)) return false;
    return (
      inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((cidr) => inCidr(endpoint.ip, cidr))
    );
  }
  if (!isPod(endpoint)) return false;
  const namespaceOk =
    peer.namespaceSelector === undefined
      ? endpoint.namespace === policyNamespace
      : selects(peer.namespaceSelector, namespaceLabels(endpoint));
  const podOk = peer.podSelector === undefined || selects(peer.podSelector, endpoint.labels);
  return namespaceOk && podOk;
}

/** Whether a rule's ports admit `port` on the destination (named ports are the destination pod's). */
function portMatches(ports: INetworkPolicyPort[] | undefined, destination: Endpoint, port: number, protocol: Protocol) {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'string')
      return isPod(destination) && destination.ports?.[rule.port] === port && rule.endPort === undefined;
    return rule.endPort === undefined ? rule.port === port : port >= rule.port && port <= rule.endPort;
  });
}

const policyTypes = (policy: INetworkPolicy) =>
  policy.spec?.policyTypes ?? (policy.spec?.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress']);

function selecting(policies: INetworkPolicy[], pod: Pod, type: 'Ingress' | 'Egress'): INetworkPolicy[] {
  return policies.filter(
    (policy) =>
      policy.metadata?.namespace === pod.namespace &&
      selects(policy.spec?.podSelector, pod.labels) &&
      policyTypes(policy).includes(type),
  );
}

/**
 * Whether `from` may open a connection to `to` on `port`, by the NetworkPolicy rules: allowed when
 * the source's egress (if any policy selects it for egress) and the destination's ingress (if any
 * policy selects it for ingress) both allow it. Policies only add: any one rule allowing suffices.
 */
export function canConnect(
  policies: INetworkPolicy[],
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol: Protocol = 'TCP',
): boolean {
  if (isPod(from)) {
    const egress = selecting(policies, from, 'Egress');
    const allowed =
      egress.length === 0 ||
      egress.some((policy) =>
        (policy.spec?.egress ?? []).some(
          (rule) =>
            (rule.to === undefined ||
              rule.to.length === 0 ||
              rule.to.some((peer) => peerMatches(peer, policy.metadata!.namespace!, to))) &&
            portMatches(rule.ports, to, port, protocol),
        ),
      );
    if (!allowed) return false;
  }
  if (isPod(to)) {
    const ingress = selecting(policies, to, 'Ingress');
    return (
      ingress.length === 0 ||
      ingress.some((policy) =>
        (policy.spec?.ingress ?? []).some(
          (rule) =>
            (rule.from === undefined ||
              rule.from.length === 0 ||
              rule.from.some((peer) => peerMatches(peer, policy.metadata!.namespace!, from))) &&
            portMatches(rule.ports, to, port, protocol),
        ),
      )
    );
  }
  return true;
}

/** The pods a Deployment runs, as endpoints: its template's labels and its containers' named ports. */
export function podOf(deployment: K8sObject): Pod {
  const template = (
    deployment.spec as {
      template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ ports?: unknown[] }> } };
    }
  ).template;
  const ports: Record<string, number> = {};
  for (const container of template.spec.containers)
    for (const port of (container.ports ?? []) as Array<{ name?: string; containerPort: number }>)
      if (port.name) ports[port.name] = port.containerPort;
  return {
    name: deployment.metadata.name,
    namespace: deployment.metadata.namespace ?? 'default',
    labels: template.metadata.labels,
    ports,
  };
}
