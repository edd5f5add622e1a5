// The Kubernetes manifests (deploy/kubernetes), checked without a cluster: rendered as kustomize
// renders them, validated against the Kubernetes and KEDA OpenAPI schemas (kubernetes-models), held
// to Runnerly's deployment policies, their NetworkPolicies evaluated for who reaches what, and each
// app's own configuration schema run on what its Deployment provides.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { QUEUE_PREFIX, QueueName } from '@runnerly/jobs';
import { QueueKeys } from 'bullmq';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DashboardConfigSchema } from '../apps/dashboard/src/config.js';
import { DataServiceConfigSchema } from '../apps/data-service/src/config.js';
import { StravaWorkerConfigSchema } from '../apps/strava-worker/src/config.js';
import { TokenDealerConfigSchema } from '../apps/token-dealer/src/config.js';
import { type K8sObject, readYamlDocuments, renderKustomization } from './kubernetes/kustomize.js';
import { canConnect, type Endpoint, podOf } from './kubernetes/network-policy.js';
import {
  type App,
  APPS,
  containersOf,
  deploymentViolations,
  ingressViolations,
  secretViolations,
} from './kubernetes/policies.js';
import { describeObject, schemaErrors, unknownFieldErrors } from './kubernetes/schemas.js';

const root = join(import.meta.dirname, '..');
const deployDir = join(root, 'deploy', 'kubernetes');
const KUSTOMIZATIONS = ['base', 'overlays/production', 'overlays/production-redis-cluster'];
const NAMESPACE = 'runnerly';

const render = (kustomization: string) => renderKustomization(join(deployDir, kustomization));
const templates: K8sObject[] = readdirSync(join(deployDir, 'secrets'))
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) => readYamlDocuments(join(deployDir, 'secrets', file)) as K8sObject[]);

/** The BullMQ wait lists of Runnerly's queues, as BullMQ names them under @runnerly/jobs' prefix. */
const WAIT_LISTS = Object.values(QueueName).map((queue) => new QueueKeys(QUEUE_PREFIX).getKeys(queue).wait!);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

// ---------------------------------------------------------------------------------------------
// Each app's configuration, run on what its Deployment gives it.

interface ConfigSchema {
  safeParse(value: unknown): unknown;
  shape: Record<string, unknown>;
}

const CONFIGS: Record<App, { schema: ConfigSchema; port: string; operatorPort: string }> = {
  'token-dealer': {
    schema: TokenDealerConfigSchema,
    port: 'TOKEN_DEALER_PORT',
    operatorPort: 'TOKEN_DEALER_OPERATOR_PORT',
  },
  'data-service': {
    schema: DataServiceConfigSchema,
    port: 'DATA_SERVICE_PORT',
    operatorPort: 'DATA_SERVICE_OPERATOR_PORT',
  },
  'strava-worker': {
    schema: StravaWorkerConfigSchema,
    port: 'STRAVA_WORKER_PORT',
    operatorPort: 'STRAVA_WORKER_OPERATOR_PORT',
  },
  dashboard: { schema: DashboardConfigSchema, port: 'DASHBOARD_PORT', operatorPort: 'DASHBOARD_OPERATOR_PORT' },
};

/** What an operator puts in place of a template's placeholder: a strong value of the right shape. */
function secretValue(key: string, app: string): string {
  const random = () => randomBytes(32).toString('hex');
  switch (key) {
    case 'DATABASE_URL':
      return `postgres://${app.replaceAll('-', '_')}:${random()}@postgres.internal:5432/runnerly?sslmode=require`;
    case 'REDIS_URL':
      return `rediss://:${random()}@redis.internal:6379`;
    case 'STRAVA_TOKEN_ENCRYPTION_KEYS':
      return `k1:${randomBytes(32).toString('base64')}`;
    case 'STRAVA_CLIENT_ID':
      return '123456';
    default:
      return random();
  }
}

/** The environment a Deployment's main container starts with (Secrets filled as an operator would). */
function environmentOf(objects: K8sObject[], deployment: IDeployment): Record<string, string> {
  const app = deployment.metadata!.name!;
  const maps = objects.filter((object) => object.kind === 'ConfigMap') as unknown as IConfigMap[];
  const map = (name = '') => maps.find((candidate) => candidate.metadata?.name === name)?.data ?? {};
  const secret = (name = '') => {
    const template = templates.find((candidate) => candidate.metadata.name === name) as
      { stringData?: Record<string, string> } | undefined;
    return Object.fromEntries(Object.keys(template?.stringData ?? {}).map((key) => [key, secretValue(key, app)]));
  };
  const env: Record<string, string> = {};
  const [container] = deployment.spec!.template.spec!.containers;
  for (const source of container?.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, map(source.configMapRef.name));
    if (source.secretRef) Object.assign(env, secret(source.secretRef.name));
  }
  for (const variable of container?.env ?? []) {
    const from = variable.valueFrom;
    const value =
      variable.value ??
      (from?.configMapKeyRef ? map(from.configMapKeyRef.name)[from.configMapKeyRef.key] : undefined) ??
      (from?.secretKeyRef ? secret(from.secretKeyRef.name)[from.secretKeyRef.key] : undefined);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

/**
 * Each app's configuration schema (apps/<app>/src/config.ts) accepts its Deployment's environment:
 * every required variable is there and well-formed; it listens on the container's ports, on every
 * address of the pod; the services it calls are the Services in the manifests; and the
 * data-service expects the issuer the token-dealer writes into its tokens.
 */
function configViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const services = objects.filter((object) => object.kind === 'Service') as unknown as IService[];
  const ingress = objects.find((object) => object.kind === 'Ingress') as IIngress | undefined;
  const publicHost = ingress?.spec?.rules?.[0]?.host;
  const configs: Partial<Record<App, Record<string, unknown>>> = {};
  for (const deployment of objects.filter((object) => object.kind === 'Deployment') as unknown as IDeployment[]) {
    const app = deployment.metadata!.name! as App;
    const expected = CONFIGS[app];
    if (expected === undefined) continue;
    const env = environmentOf(objects, deployment);
    // The schemas drop what they do not know: a misspelt setting would be ignored without a word.
    for (const name of Object.keys(env))
      if (!(name in expected.schema.shape)) problems.push(`${app}: ${name} is not one of its settings`);
    const result = expected.schema.safeParse(env) as {
      success: boolean;
      data?: Record<string, unknown>;
      error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
    };
    if (!result.success) {
      for (const issue of result.error!.issues)
        problems.push(`${app}: ${issue.path.join('.')} ${issue.message} (not provided as the app needs it)`);
      continue;
    }
    const config = result.data!;
    configs[app] = config;
    const ports = Object.fromEntries(
      (deployment.spec!.template.spec!.containers[0]?.ports ?? []).map((port) => [port.name, port.containerPort]),
    );
    if (config[expected.port] !== ports.http)
      problems.push(`${app}: listens on ${config[expected.port]}, not the http port`);
    if (config[expected.operatorPort] !== ports.operator)
      problems.push(`${app}: its operator listener is on ${config[expected.operatorPort]}, not the operator port`);
    if (config.HOST !== '0.0.0.0' || config.OPERATOR_HOST !== '0.0.0.0')
      problems.push(`${app}: HOST and OPERATOR_HOST must be 0.0.0.0 (the pod's address, not 127.0.0.1)`);
    for (const name of ['TOKEN_DEALER_URL', 'DATA_SERVICE_URL']) {
      if (!(name in config)) continue;
      const url = new URL(String(config[name]));
      const service = services.find((candidate) => candidate.metadata?.name === url.hostname);
      const port = service?.spec?.ports?.find((candidate) => String(candidate.port) === url.port);
      if (port?.targetPort !== 'http') problems.push(`${app}: ${name} ${url.href} is no Service's public port`);
    }
  }
  const dealer = configs['token-dealer'];
  const data = configs['data-service'];
  if (dealer && data && (data.TOKEN_DEALER_ISSUER ?? data.TOKEN_DEALER_URL) !== dealer.TOKEN_DEALER_ISSUER)
    problems.push("data-service: expects another issuer than the token-dealer's TOKEN_DEALER_ISSUER");
  const dashboard = configs.dashboard;
  if (dashboard && dashboard.DASHBOARD_URL !== `https://${publicHost}`)
    problems.push(`dashboard: DASHBOARD_URL ${String(dashboard.DASHBOARD_URL)} is not the Ingress host ${publicHost}`);
  const worker = configs['strava-worker'];
  if (worker && worker.STRAVA_WEBHOOK_CALLBACK_URL !== `https://${publicHost}/strava/webhook`)
    problems.push(`strava-worker: STRAVA_WEBHOOK_CALLBACK_URL is not https://${publicHost}/strava/webhook`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Who reaches what: every connection to or from a Runnerly pod, by the NetworkPolicies.

const OUTSIDE: Array<{ endpoint: Endpoint; listens: number[] }> = [
  {
    endpoint: {
      name: 'ingress-controller',
      namespace: 'ingress-nginx',
      labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
    },
    listens: [80, 443],
  },
  {
    endpoint: { name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
    listens: [9090],
  },
  { endpoint: { name: 'other-tenant', namespace: 'default', labels: { app: 'shop' } }, listens: [8080] },
  { endpoint: { name: 'stray-pod', namespace: NAMESPACE, labels: { app: 'debug' } }, listens: [8080] },
  { endpoint: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, listens: [53] },
  { endpoint: { name: 'strava', ip: '203.0.113.10' }, listens: [443, 80] },
  { endpoint: { name: 'postgres', ip: '10.20.0.5' }, listens: [5432] },
  { endpoint: { name: 'redis', ip: '10.20.1.5' }, listens: [6379] },
  { endpoint: { name: 'cloud-metadata', ip: '169.254.169.254' }, listens: [80] },
  // Calls in only. (The dashboard and the worker may open HTTPS to any public address: a
  // NetworkPolicy cannot name www.strava.com; README says how to pin it.)
  { endpoint: { name: 'internet-client', ip: '198.51.100.7' }, listens: [] },
];

/** Every connection allowed, the NetworkPolicies' way, that starts or ends at a pod in the namespace. */
function reachability(objects: K8sObject[]): string[] {
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy') as unknown as INetworkPolicy[];
  const pods = objects
    .filter((object) => object.kind === 'Deployment')
    .map((deployment) => {
      const pod = podOf(deployment);
      return { endpoint: pod, listens: Object.values(pod.ports ?? {}) };
    });
  const everyone = [...pods, ...OUTSIDE];
  const ours = (endpoint: Endpoint) => 'namespace' in endpoint && endpoint.namespace === NAMESPACE;
  const allowed: string[] = [];
  for (const from of everyone)
    for (const to of everyone) {
      if (from === to || !(ours(from.endpoint) || ours(to.endpoint))) continue;
      for (const port of to.listens)
        if (canConnect(policies, from.endpoint, to.endpoint, port))
          allowed.push(`${from.endpoint.name} → ${to.endpoint.name}:${port}`);
    }
  return allowed.sort();
}

const EXPECTED_REACHABILITY = [
  // From outside: the ingress controller to the two public ports, nothing else.
  'ingress-controller → dashboard:3000',
  'ingress-controller → strava-worker:5002',
  // Metrics, docs and queues: the monitoring namespace, to the operator ports only.
  'prometheus → dashboard:3100',
  'prometheus → data-service:5101',
  'prometheus → strava-worker:5102',
  'prometheus → token-dealer:5100',
  'dashboard → data-service:5001',
  'dashboard → token-dealer:5000',
  'dashboard → redis:6379',
  'dashboard → strava:443',
  'dashboard → kube-dns:53',
  'strava-worker → data-service:5001',
  'strava-worker → token-dealer:5000',
  'strava-worker → redis:6379',
  'strava-worker → strava:443',
  'strava-worker → kube-dns:53',
  'data-service → token-dealer:5000',
  'data-service → postgres:5432',
  'data-service → redis:6379',
  'data-service → kube-dns:53',
  'token-dealer → postgres:5432',
  'token-dealer → redis:6379',
  'token-dealer → kube-dns:53',
  'stray-pod → kube-dns:53',
].sort();

function networkDifferences(objects: K8sObject[]): string[] {
  const actual = reachability(objects);
  return [
    ...actual.filter((edge) => !EXPECTED_REACHABILITY.includes(edge)).map((edge) => `allowed but must not be: ${edge}`),
    ...EXPECTED_REACHABILITY.filter((edge) => !actual.includes(edge)).map((edge) => `refused but needed: ${edge}`),
  ];
}

// ---------------------------------------------------------------------------------------------

function namespaceViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects)
    if (object.kind !== 'Namespace' && object.metadata.namespace !== NAMESPACE)
      problems.push(`${describeObject(object)}: not in the namespace ${NAMESPACE}`);
  const namespace = objects.find((object) => object.kind === 'Namespace');
  if (namespace?.metadata.name !== NAMESPACE) problems.push(`the Namespace ${NAMESPACE} must be part of the manifests`);
  else if (namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted')
    problems.push('the namespace must enforce the restricted Pod Security Standard');
  return problems;
}

describe('deploy/kubernetes', () => {
  it('has only kustomizations, the resources and patches they name, and Secret templates', () => {
    const used = new Set<string>();
    for (const file of yamlFiles(deployDir).filter((path) => path.endsWith('kustomization.yaml'))) {
      const dir = join(file, '..');
      used.add(file);
      const [kustomization] = readYamlDocuments(file) as Array<{
        resources?: string[];
        patches?: Array<{ path?: string }>;
      }>;
      for (const resource of kustomization?.resources ?? []) used.add(join(dir, resource));
      for (const patch of kustomization?.patches ?? []) if (patch.path) used.add(join(dir, patch.path));
    }
    const strays = yamlFiles(deployDir).filter(
      (file) => !used.has(file) && !file.startsWith(join(deployDir, 'secrets') + '/'),
    );
    expect(strays.map((file) => relative(root, file))).toEqual([]);
    expect(templates.map((template) => template.metadata.name).sort()).toEqual([
      'dashboard',
      'data-service',
      'strava-worker',
      'strava-worker-keda',
      'token-dealer',
    ]);
  });

  it.skipIf(!hasKubectl())('renders each kustomization as `kubectl kustomize` does', () => {
    for (const kustomization of KUSTOMIZATIONS) {
      const output = execFileSync('kubectl', ['kustomize', join(deployDir, kustomization)], { encoding: 'utf8' });
      const byKey = (objects: K8sObject[]) =>
        Object.fromEntries(objects.map((object) => [`${describeObject(object)}@${object.metadata.namespace}`, object]));
      const kubectl = output
        .split(/^---$/m)
        .map((document) => parse(document) as K8sObject)
        .filter(Boolean);
      expect(byKey(render(kustomization)), kustomization).toEqual(byKey(kubectl));
    }
  });

  it('validates every object, and every Secret template, against the Kubernetes and KEDA schemas', () => {
    const objects = [...KUSTOMIZATIONS.flatMap(render), ...templates];
    expect(objects.length).toBeGreaterThan(60);
    expect(schemaErrors(objects)).toEqual([]);
    expect(unknownFieldErrors(objects, root)).toEqual([]);
  });

  describe.each(KUSTOMIZATIONS)('%s', (kustomization) => {
    const objects = render(kustomization);

    it('puts everything in the runnerly namespace, which enforces the restricted Pod Security Standard', () => {
      expect(namespaceViolations(objects)).toEqual([]);
    });

    it('holds every Deployment to the policies: probes, resources, non-root, read-only root, spread, Service, PDB, scaling', () => {
      expect(deploymentViolations(objects, WAIT_LISTS)).toEqual([]);
    });

    it('gives each service one Secret of its own, never applied from git, and keeps secrets out of ConfigMaps', () => {
      expect(secretViolations(objects, templates)).toEqual([]);
    });

    it('routes the dashboard at / and only /strava/webhook to the worker', () => {
      expect(ingressViolations(objects)).toEqual([]);
    });

    it("provides every setting each app's configuration schema requires, with its ports and its peers' addresses", () => {
      expect(configViolations(objects)).toEqual([]);
    });

    it('lets through exactly the connections Runnerly needs (NetworkPolicies evaluated)', () => {
      expect(reachability(objects)).toEqual(EXPECTED_REACHABILITY);
      const policies = objects.filter((object) => object.kind === 'NetworkPolicy') as unknown as INetworkPolicy[];
      const worker = podOf(
        objects.find((object) => object.metadata.name === 'strava-worker' && object.kind === 'Deployment')!,
      );
      const dns = OUTSIDE.find(({ endpoint }) => endpoint.name === 'kube-dns')!.endpoint;
      expect(canConnect(policies, worker, dns, 53, 'UDP')).toBe(true);
      expect(canConnect(policies, worker, dns, 5353, 'UDP')).toBe(false);
    });
  });

  it('reads the wait lists with KEDA’s redis-cluster scaler on a Redis Cluster, from the nodes’ addresses', () => {
    const objects = render('overlays/production-redis-cluster');
    const triggers = (
      find(objects, 'ScaledObject', 'strava-worker').spec as {
        triggers: Array<{ type: string; metadata: Record<string, string> }>;
      }
    ).triggers;
    expect(
      triggers.map((trigger) => [trigger.type, trigger.metadata.listName, trigger.metadata.databaseIndex]).sort(),
    ).toEqual([...WAIT_LISTS].sort().map((list) => ['redis-cluster', list, undefined]));
    const auth = find(objects, 'TriggerAuthentication', 'strava-worker-keda').spec as {
      secretTargetRef: Array<{ parameter: string; key: string }>;
    };
    expect(auth.secretTargetRef.map(({ parameter, key }) => [parameter, key])).toEqual([
      ['addresses', 'addresses'],
      ['password', 'password'],
    ]);
  });

  it('runs released images from a registry in production, never :latest', () => {
    const deployments = render('overlays/production').filter((object) => object.kind === 'Deployment');
    const images = deployments.flatMap((deployment) => containersOf(deployment as IDeployment).map((c) => c.image));
    expect(images).toHaveLength(Object.keys(APPS).length);
    for (const image of images) expect(image).toMatch(/^[\w.-]+\.[\w.-]+\/runnerly\/[\w-]+:(?!latest$)[\w.-]+$/);
  });
});

// ---------------------------------------------------------------------------------------------
// The checks themselves: each one refuses a manifest broken the way it guards against.

type Mutation = [
  what: string,
  breakIt: (objects: K8sObject[]) => void,
  check: (objects: K8sObject[]) => string[],
  expected: RegExp,
];

const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name) as K8sObject;
const deployment = (objects: K8sObject[], name: App) => find(objects, 'Deployment', name) as unknown as IDeployment;
const container = (objects: K8sObject[], name: App) => deployment(objects, name).spec!.template.spec!.containers[0]!;

const MUTATIONS: Mutation[] = [
  [
    'a replica count that is not a number',
    (objects) => ((find(objects, 'Deployment', 'token-dealer').spec as { replicas: unknown }).replicas = 'two'),
    schemaErrors,
    /Deployment\/token-dealer: .*replicas must be integer/,
  ],
  [
    'a probe without a port',
    (objects) => delete (container(objects, 'dashboard').readinessProbe!.httpGet as { port?: unknown }).port,
    schemaErrors,
    /Deployment\/dashboard: .*httpGet must have required property port/,
  ],
  [
    'a KEDA trigger without its type',
    (objects) =>
      delete (find(objects, 'ScaledObject', 'strava-worker').spec as { triggers: Array<{ type?: string }> })
        .triggers[0]!.type,
    schemaErrors,
    /ScaledObject\/strava-worker: .*required property type/,
  ],
  [
    'a readiness probe on /health/live',
    (objects) => (container(objects, 'data-service').readinessProbe!.httpGet!.path = '/health/live'),
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /data-service: readinessProbe must GET \/health\/ready/,
  ],
  [
    'no startup probe',
    (objects) => delete container(objects, 'token-dealer').startupProbe,
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /token-dealer: startupProbe must GET \/health\/live/,
  ],
  [
    'a writable root filesystem',
    (objects) => (container(objects, 'strava-worker').securityContext!.readOnlyRootFilesystem = false),
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /strava-worker: the root filesystem must be read-only/,
  ],
  [
    'running as root',
    (objects) => {
      deployment(objects, 'dashboard').spec!.template.spec!.securityContext!.runAsUser = 0;
      container(objects, 'dashboard').securityContext!.runAsNonRoot = false;
    },
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /dashboard: must run as non-root/,
  ],
  [
    'capabilities kept',
    (objects) => (container(objects, 'dashboard').securityContext!.capabilities = { drop: ['NET_RAW'] }),
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /dashboard: must drop ALL capabilities/,
  ],
  [
    'no memory limit',
    (objects) => delete container(objects, 'data-service').resources!.limits!.memory,
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /data-service: needs a memory limit/,
  ],
  [
    'the worker killed before its syncs hand their jobs back',
    (objects) => (deployment(objects, 'strava-worker').spec!.template.spec!.terminationGracePeriodSeconds = 30),
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /strava-worker: terminationGracePeriodSeconds 30 < preStop 5 s \+ shutdown 60 s/,
  ],
  [
    'two new data-service pods migrating at once',
    (objects) => (deployment(objects, 'data-service').spec!.strategy!.rollingUpdate!.maxSurge = '50%'),
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /data-service: migrates at start, so it must roll one new pod at a time/,
  ],
  [
    'a ConfigMap that does not exist',
    (objects) => (container(objects, 'data-service').envFrom![0]!.configMapRef!.name = 'data'),
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /data-service: reads the ConfigMap data, which is not in the manifests/,
  ],
  [
    'service links on',
    (objects) => delete deployment(objects, 'token-dealer').spec!.template.spec!.enableServiceLinks,
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /token-dealer: enableServiceLinks must be false/,
  ],
  [
    'the worker scaled on BullMQ’s default prefix',
    (objects) => {
      const spec = find(objects, 'ScaledObject', 'strava-worker').spec as {
        triggers: Array<{ metadata: { listName: string } }>;
      };
      spec.triggers[0]!.metadata.listName = 'bull:strava-sync:wait';
    },
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /strava-worker: its ScaledObject must watch the BullMQ wait lists \{runnerly\}:strava-sync:wait/,
  ],
  [
    'a single-server KEDA trigger among the cluster ones',
    (objects) => {
      const spec = find(objects, 'ScaledObject', 'strava-worker').spec as { triggers: Array<{ type: string }> };
      spec.triggers[1]!.type = 'redis-cluster';
    },
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /strava-worker: its triggers must all be redis or all redis-cluster, not redis, redis-cluster/,
  ],
  [
    'no autoscaler for the data-service',
    (objects) => objects.splice(objects.indexOf(find(objects, 'HorizontalPodAutoscaler', 'data-service')), 1),
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /data-service: needs one HorizontalPodAutoscaler/,
  ],
  [
    'no PodDisruptionBudget for the token-dealer',
    (objects) => objects.splice(objects.indexOf(find(objects, 'PodDisruptionBudget', 'token-dealer')), 1),
    (objects) => deploymentViolations(objects, WAIT_LISTS),
    /Service token-dealer: selects no Deployment covered by a PDB/,
  ],
  [
    "the dashboard reading the worker's Secret",
    (objects) => (container(objects, 'dashboard').envFrom![1]!.secretRef!.name = 'strava-worker'),
    (objects) => secretViolations(objects, templates),
    /Secret strava-worker: shared by Deployment strava-worker and Deployment dashboard/,
  ],
  [
    'a secret in a ConfigMap',
    (objects) => ((find(objects, 'ConfigMap', 'dashboard').data as Record<string, string>).SESSION_SECRET = 'x'),
    (objects) => secretViolations(objects, templates),
    /ConfigMap dashboard: SESSION_SECRET is a secret/,
  ],
  [
    'a Secret in the kustomization',
    (objects) => objects.push({ ...templates[0]!, metadata: { ...templates[0]!.metadata } }),
    (objects) => secretViolations(objects, templates),
    /must not be in the kustomization/,
  ],
  [
    'more of the worker routed than its webhook',
    (objects) => {
      const path = (find(objects, 'Ingress', 'runnerly') as unknown as IIngress).spec!.rules![0]!.http!.paths[0]!;
      path.path = '/strava';
      path.pathType = 'Prefix';
    },
    ingressViolations,
    /the Ingress must route only/,
  ],
  [
    'a setting the app requires, missing',
    (objects) => (container(objects, 'dashboard').envFrom = container(objects, 'dashboard').envFrom!.slice(0, 1)),
    configViolations,
    /dashboard: (STRAVA_CLIENT_ID|STRAVA_CLIENT_SECRET|DASHBOARD_CLIENT_SECRET|SESSION_SECRET) /,
  ],
  [
    'a misspelt setting (which the app would ignore)',
    (objects) =>
      ((find(objects, 'ConfigMap', 'dashboard').data as Record<string, string>).DASHBOARD_TRUSTED_PROXY = '1'),
    configViolations,
    /dashboard: DASHBOARD_TRUSTED_PROXY is not one of its settings/,
  ],
  [
    'the data-service pointed at a token-dealer that does not exist',
    (objects) =>
      ((find(objects, 'ConfigMap', 'data-service').data as Record<string, string>).TOKEN_DEALER_URL =
        'http://tokens:5000'),
    configViolations,
    /data-service: TOKEN_DEALER_URL http:\/\/tokens:5000\/ is no Service's public port/,
  ],
  [
    'the operator listener on loopback (unreachable for Prometheus)',
    (objects) =>
      ((find(objects, 'ConfigMap', 'token-dealer').data as Record<string, string>).OPERATOR_HOST = '127.0.0.1'),
    configViolations,
    /token-dealer: HOST and OPERATOR_HOST must be 0.0.0.0/,
  ],
  [
    'a policy opening the data-service to the ingress controller',
    (objects) =>
      objects.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'oops', namespace: NAMESPACE },
        spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'data-service' } }, ingress: [{}] },
      }),
    networkDifferences,
    /allowed but must not be: ingress-controller → data-service:5001/,
  ],
  [
    'no default deny',
    (objects) => objects.splice(objects.indexOf(find(objects, 'NetworkPolicy', 'default-deny')), 1),
    networkDifferences,
    /allowed but must not be: other-tenant → stray-pod:8080/,
  ],
  [
    'the token-dealer allowed out to the internet',
    (objects) => {
      const spec = find(objects, 'NetworkPolicy', 'token-dealer').spec as { egress: unknown[] };
      spec.egress.push({ ports: [{ port: 443 }] });
    },
    networkDifferences,
    /allowed but must not be: token-dealer → strava:443/,
  ],
];

describe('the checks refuse a broken manifest', () => {
  it.each(MUTATIONS)('%s', (_what, breakIt, check, expected) => {
    const objects = structuredClone(render('overlays/production'));
    expect(check(objects)).toEqual([]);
    breakIt(objects);
    expect(check(objects).join('\n')).toMatch(expected);
  });

  it('refuses a field the schema does not know, wherever it is', () => {
    const objects = structuredClone(render('base'));
    (container(objects, 'token-dealer') as unknown as Record<string, unknown>).readinesProbe = {};
    (find(objects, 'ScaledObject', 'strava-worker').spec as Record<string, unknown>).minReplicas = 2;
    expect(schemaErrors(objects)).toEqual([]);
    expect(unknownFieldErrors(objects, root)).toEqual([
      expect.stringMatching(/^Deployment\/token-dealer: .*'"readinesProbe"' does not exist in type 'IContainer'/),
      expect.stringMatching(/^ScaledObject\/strava-worker: .*'"minReplicas"' does not exist/),
    ]);
  });
});

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
