import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { K8sObject } from './kustomize.js';
import { selects } from './network-policy.js';

/** The services Runnerly deploys and how each scales. */
export const APPS = {
  'token-dealer': { scaling: 'replicas', migratesAtStart: true },
  'data-service': { scaling: 'hpa', migratesAtStart: true },
  'strava-worker': { scaling: 'keda', migratesAtStart: false },
  dashboard: { scaling: 'hpa', migratesAtStart: false },
} as const;

/** How long a service that migrates at start may take to start (its startup probe's budget). */
const MIGRATION_BUDGET_SECONDS = 300;
/**
 * The worker's shutdown at worst: its running syncs hand their jobs back after the page in hand, a
 * token refresh and a page from Strava (STRAVA_TIMEOUT_MS, 10 s each) and the data-service write
 * (3 attempts of 5 s, after a token fetch of as many), about a minute.
 */
const WORKER_SHUTDOWN_SECONDS = 60;
export type App = keyof typeof APPS;

/** What a committed Secret template holds instead of a value. */
export const PLACEHOLDER = 'CHANGE_ME';

const ofKind = <T>(objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind) as T[];
const named = <T extends { metadata?: { name?: string } }>(list: T[], name: string) =>
  list.find((item) => item.metadata?.name === name);

/** A CPU or memory quantity in base units (cores, bytes). */
export function quantity(value: string | number | undefined): number {
  if (value === undefined) return Number.NaN;
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|Ki|Mi|Gi)?$/.exec(value);
  if (!match) return Number.NaN;
  const unit = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

export function containersOf(deployment: IDeployment): IContainer[] {
  return [
    ...(deployment.spec?.template.spec?.initContainers ?? []),
    ...(deployment.spec?.template.spec?.containers ?? []),
  ];
}

/** The Secrets a Deployment's pods read (envFrom, env, volumes). */
export function secretsOf(deployment: IDeployment): string[] {
  const names = new Set<string>();
  for (const container of containersOf(deployment)) {
    for (const source of container.envFrom ?? []) if (source.secretRef?.name) names.add(source.secretRef.name);
    for (const variable of container.env ?? [])
      if (variable.valueFrom?.secretKeyRef?.name) names.add(variable.valueFrom.secretKeyRef.name);
  }
  for (const volume of deployment.spec?.template.spec?.volumes ?? [])
    if (volume.secret?.secretName) names.add(volume.secret.secretName);
  return [...names];
}

function probeProblems(name: string, container: IContainer): string[] {
  const problems: string[] = [];
  const expect = (probe: IProbe | undefined, what: string, path: string) => {
    if (probe?.httpGet?.path !== path) problems.push(`${name}: ${what} must GET ${path}`);
    else if (probe.httpGet.port !== 'http') problems.push(`${name}: ${what} must probe the public port (http)`);
  };
  expect(container.startupProbe, 'startupProbe', '/health/live');
  expect(container.livenessProbe, 'livenessProbe', '/health/live');
  expect(container.readinessProbe, 'readinessProbe', '/health/ready');
  return problems;
}

function securityProblems(name: string, deployment: IDeployment, container: IContainer): string[] {
  const problems: string[] = [];
  const pod = deployment.spec?.template.spec?.securityContext;
  const own = container.securityContext;
  if ((own?.runAsNonRoot ?? pod?.runAsNonRoot) !== true) problems.push(`${name}: must run as non-root`);
  const user = own?.runAsUser ?? pod?.runAsUser;
  if (user === undefined || user < 1000) problems.push(`${name}: must run as a user id >= 1000 (the image's node)`);
  if (own?.readOnlyRootFilesystem !== true) problems.push(`${name}: the root filesystem must be read-only`);
  if (own?.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation must be false`);
  if (own?.privileged === true) problems.push(`${name}: must not be privileged`);
  if (!own?.capabilities?.drop?.includes('ALL') || (own.capabilities.add ?? []).length > 0)
    problems.push(`${name}: must drop ALL capabilities and add none`);
  if ((own?.seccompProfile ?? pod?.seccompProfile)?.type !== 'RuntimeDefault')
    problems.push(`${name}: seccompProfile must be RuntimeDefault`);
  const spec = deployment.spec?.template.spec;
  if (spec?.hostNetwork || spec?.hostPID || spec?.hostIPC)
    problems.push(`${name}: must not share the host's namespaces`);
  const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
  const volume = spec?.volumes?.find((candidate) => candidate.name === tmp?.name);
  if (volume?.emptyDir === undefined)
    problems.push(`${name}: /tmp must be an emptyDir (the root filesystem is read-only)`);
  return problems;
}

function resourceProblems(name: string, container: IContainer): string[] {
  const problems: string[] = [];
  for (const resource of ['cpu', 'memory']) {
    const request = quantity(container.resources?.requests?.[resource]);
    const limit = quantity(container.resources?.limits?.[resource]);
    if (!(request > 0)) problems.push(`${name}: needs a ${resource} request`);
    if (!(limit > 0)) problems.push(`${name}: needs a ${resource} limit`);
    else if (limit < request) problems.push(`${name}: its ${resource} limit is below its request`);
  }
  return problems;
}

/**
 * What every Runnerly Deployment must hold (probes, resources, non-root, read-only root,
 * capabilities, no service account token, no service links, spread, a Service and a PDB), how each
 * scales, and where its secrets come from. Returns the violations, empty when all hold.
 */
export function deploymentViolations(objects: K8sObject[], jobsWaitLists: string[]): string[] {
  const problems: string[] = [];
  const deployments = ofKind<IDeployment>(objects, 'Deployment');
  const services = ofKind<IService>(objects, 'Service');
  const budgets = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
  const accounts = ofKind<IServiceAccount>(objects, 'ServiceAccount');
  const autoscalers = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
  const scaledObjects = ofKind<IScaledObject>(objects, 'ScaledObject');
  const triggerAuths = ofKind<ITriggerAuthentication>(objects, 'TriggerAuthentication');

  const names = deployments.map((deployment) => deployment.metadata!.name!).sort();
  if (names.join() !== Object.keys(APPS).sort().join())
    problems.push(`the Deployments must be exactly ${Object.keys(APPS).join(', ')} (found ${names.join(', ')})`);

  for (const deployment of deployments) {
    const name = deployment.metadata!.name!;
    const spec = deployment.spec!;
    const pod = spec.template.spec!;
    const labels = spec.template.metadata?.labels ?? {};
    if (!selects(spec.selector, labels)) problems.push(`${name}: its selector does not select its own pods`);
    const image = new RegExp(`(^|/)runnerly/${name}(:[\\w.-]+|@sha256:[0-9a-f]{64})$`);
    for (const container of containersOf(deployment)) {
      if (!image.test(container.image ?? '')) problems.push(`${name}: runs ${container.image}, not runnerly/${name}`);
      problems.push(...securityProblems(name, deployment, container), ...resourceProblems(name, container));
    }
    const [main] = pod.containers;
    if (main) problems.push(...probeProblems(name, main));
    const ports = Object.fromEntries((main?.ports ?? []).map((port) => [port.name, port.containerPort]));
    if (ports.http === undefined || ports.operator === undefined)
      problems.push(`${name}: needs the ports http (public) and operator`);

    if (pod.automountServiceAccountToken !== false) problems.push(`${name}: must not mount a service account token`);
    const account = named(accounts, pod.serviceAccountName ?? '');
    if (pod.serviceAccountName !== name || account?.automountServiceAccountToken !== false)
      problems.push(`${name}: needs its own ServiceAccount, with automountServiceAccountToken false`);
    // TOKEN_DEALER_PORT=tcp://… from a service link would stop the apps at start.
    if (pod.enableServiceLinks !== false) problems.push(`${name}: enableServiceLinks must be false`);
    const spread = (pod.topologySpreadConstraints ?? []).some((constraint) =>
      selects(constraint.labelSelector, labels),
    );
    if (!spread && pod.affinity?.podAntiAffinity === undefined)
      problems.push(`${name}: its pods must be spread (topologySpreadConstraints or anti-affinity)`);

    const service = services.find((candidate) => selects({ matchLabels: candidate.spec?.selector }, labels));
    if (service?.metadata?.name !== name) problems.push(`${name}: needs a Service of the same name selecting its pods`);
    else if (!service.spec?.ports?.some((port) => port.name === 'http' && port.targetPort === 'http'))
      problems.push(`${name}: its Service must expose the http port`);
    const budget = budgets.find((candidate) => selects(candidate.spec?.selector, labels));
    if (budget === undefined) problems.push(`${name}: needs a PodDisruptionBudget`);
    else if (budget.spec?.maxUnavailable === undefined || budget.spec.maxUnavailable === 0)
      problems.push(`${name}: its PodDisruptionBudget must let a drain take one pod at a time (maxUnavailable)`);

    for (const container of containersOf(deployment))
      for (const source of container.envFrom ?? [])
        if (
          source.configMapRef &&
          !objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === source.configMapRef!.name)
        )
          problems.push(`${name}: reads the ConfigMap ${source.configMapRef.name}, which is not in the manifests`);
    const secrets = secretsOf(deployment);
    if (secrets.length !== 1 || secrets[0] !== name)
      problems.push(`${name}: must read exactly one Secret, its own (${name}); reads ${secrets.join(', ') || 'none'}`);

    const hpa = autoscalers.filter((candidate) => candidate.spec?.scaleTargetRef.name === name);
    const keda = scaledObjects.filter((candidate) => candidate.spec.scaleTargetRef.name === name);
    const scaling = APPS[name as App]?.scaling;
    if (scaling === 'hpa') {
      if (hpa.length !== 1 || hpa[0]!.spec?.scaleTargetRef.kind !== 'Deployment')
        problems.push(`${name}: needs one HorizontalPodAutoscaler (autoscaling/v2) on its Deployment`);
      else if ((hpa[0]!.spec?.minReplicas ?? 1) < 2) problems.push(`${name}: its autoscaler must keep 2 pods at least`);
    }
    if (scaling === 'keda') {
      const triggers = keda[0]?.spec.triggers ?? [];
      // KEDA's `redis` scaler for one server, `redis-cluster` for a cluster: one or the other.
      const types = new Set(triggers.map((trigger) => trigger.type));
      if (types.size !== 1 || !(types.has('redis') || types.has('redis-cluster')))
        problems.push(`${name}: its triggers must all be redis or all redis-cluster, not ${[...types].join(', ')}`);
      const lists = triggers.map((trigger) => trigger.metadata.listName).sort();
      if (keda.length !== 1) problems.push(`${name}: needs one KEDA ScaledObject`);
      else if ((keda[0]!.spec.minReplicaCount ?? 0) < 2)
        problems.push(`${name}: its ScaledObject must keep 2 pods at least (they take the webhook)`);
      if (lists.join() !== [...jobsWaitLists].sort().join())
        problems.push(`${name}: its ScaledObject must watch the BullMQ wait lists ${jobsWaitLists.join(', ')}`);
      for (const trigger of triggers) {
        const auth = trigger.authenticationRef?.name;
        if (auth === undefined || named(triggerAuths, auth) === undefined)
          problems.push(`${name}: trigger ${trigger.metadata.listName} needs a TriggerAuthentication (Redis password)`);
      }
    }
    if (scaling !== 'hpa' && hpa.length > 0) problems.push(`${name}: must not have a HorizontalPodAutoscaler`);
    if (scaling !== 'keda' && keda.length > 0) problems.push(`${name}: must not have a ScaledObject`);
    // An autoscaled Deployment leaves replicas to its autoscaler: every apply would reset them.
    if (scaling !== 'replicas' && spec.replicas !== undefined)
      problems.push(`${name}: its autoscaler sets its replicas; the Deployment must not`);
    if (scaling === 'replicas' && (spec.replicas ?? 1) < 2) problems.push(`${name}: needs 2 replicas at least`);

    // Migrations run at start: one new pod at a time, ready only once they are applied.
    if (APPS[name as App]?.migratesAtStart) {
      const rolling = spec.strategy?.rollingUpdate;
      if (spec.strategy?.type !== 'RollingUpdate' || rolling?.maxSurge !== 1 || rolling.maxUnavailable !== 0)
        problems.push(
          `${name}: migrates at start, so it must roll one new pod at a time (maxSurge 1, maxUnavailable 0)`,
        );
      const startup = main?.startupProbe;
      if ((startup?.periodSeconds ?? 10) * (startup?.failureThreshold ?? 3) < MIGRATION_BUDGET_SECONDS)
        problems.push(`${name}: its startup probe must allow ${MIGRATION_BUDGET_SECONDS} s for migrations`);
    }
    const preStop = main?.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    const shutdown = name === 'strava-worker' ? WORKER_SHUTDOWN_SECONDS : 10;
    if (grace < preStop + shutdown)
      problems.push(`${name}: terminationGracePeriodSeconds ${grace} < preStop ${preStop} s + shutdown ${shutdown} s`);
  }

  for (const service of services) {
    const covered = deployments.some(
      (deployment) =>
        selects({ matchLabels: service.spec?.selector }, deployment.spec?.template.metadata?.labels ?? {}) &&
        budgets.some((budget) => selects(budget.spec?.selector, deployment.spec?.template.metadata?.labels ?? {})),
    );
    if (!covered) problems.push(`Service ${service.metadata?.name}: selects no Deployment covered by a PDB`);
  }
  return problems;
}

/** Secret-looking names: these belong in a Secret, never in a ConfigMap. */
const SECRET_NAME = /SECRET|PASSWORD|PEPPER|ENCRYPTION_KEY|VERIFY_TOKEN|^DATABASE_URL$|^REDIS_URL$/;

/**
 * Secrets: none is rendered by the kustomization (an apply never overwrites the real ones), each
 * template holds placeholders only, no ConfigMap holds a secret, and no Secret has two consumers
 * (Deployments and KEDA's TriggerAuthentications).
 */
export function secretViolations(objects: K8sObject[], templates: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects)
    if (object.kind === 'Secret') problems.push(`Secret ${object.metadata.name}: must not be in the kustomization`);

  for (const template of templates as unknown as ISecret[]) {
    const name = template.metadata?.name;
    if (template.data !== undefined)
      problems.push(`Secret template ${name}: must use stringData placeholders, not data`);
    for (const [key, value] of Object.entries(template.stringData ?? {}))
      if (value !== PLACEHOLDER) problems.push(`Secret template ${name}: ${key} holds a value, not ${PLACEHOLDER}`);
  }
  if (new Set(templates.map((template) => template.metadata.name)).size !== templates.length)
    problems.push('a Secret template is defined twice');

  for (const map of ofKind<IConfigMap>(objects, 'ConfigMap'))
    for (const [key, value] of Object.entries(map.data ?? {})) {
      if (SECRET_NAME.test(key)) problems.push(`ConfigMap ${map.metadata?.name}: ${key} is a secret`);
      if (/:\/\/[^/\s:@]*:[^/\s@]+@/.test(value))
        problems.push(`ConfigMap ${map.metadata?.name}: ${key} holds a password`);
    }

  const consumers = new Map<string, string[]>();
  const consume = (secret: string, consumer: string) =>
    consumers.set(secret, [...(consumers.get(secret) ?? []), consumer]);
  for (const deployment of ofKind<IDeployment>(objects, 'Deployment'))
    for (const secret of secretsOf(deployment)) consume(secret, `Deployment ${deployment.metadata?.name}`);
  for (const auth of ofKind<ITriggerAuthentication>(objects, 'TriggerAuthentication'))
    for (const secret of new Set((auth.spec.secretTargetRef ?? []).map((ref) => ref.name)))
      consume(secret, `TriggerAuthentication ${auth.metadata?.name}`);
  for (const [secret, users] of consumers) {
    if (users.length > 1) problems.push(`Secret ${secret}: shared by ${users.join(' and ')}`);
    if (!templates.some((template) => template.metadata.name === secret))
      problems.push(`Secret ${secret}: read by ${users.join(', ')} but has no template in secrets/`);
  }
  for (const template of templates)
    if (!consumers.has(template.metadata.name))
      problems.push(`Secret template ${template.metadata.name}: nothing reads it`);

  const keys = (name: string) =>
    Object.keys((named(templates as unknown as ISecret[], name)?.stringData ?? {}) as object);
  for (const auth of ofKind<ITriggerAuthentication>(objects, 'TriggerAuthentication'))
    for (const ref of auth.spec.secretTargetRef ?? [])
      if (!keys(ref.name).includes(ref.key))
        problems.push(`TriggerAuthentication ${auth.metadata?.name}: Secret ${ref.name} has no key ${ref.key}`);
  return problems;
}

/**
 * The Ingress: the dashboard at `/`, and of the worker only `/strava/webhook` (exactly); nothing
 * else routed, and on public ports only.
 */
export function ingressViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const ingresses = ofKind<IIngress>(objects, 'Ingress');
  if (ingresses.length !== 1) return [`there must be one Ingress (found ${ingresses.length})`];
  const routes = (ingresses[0]!.spec?.rules ?? []).flatMap((rule) =>
    (rule.http?.paths ?? []).map((path) => ({
      to: path.backend.service?.name,
      port: path.backend.service?.port?.name ?? path.backend.service?.port?.number,
      path: `${path.pathType} ${path.path}`,
    })),
  );
  const expected = [
    { to: 'strava-worker', port: 'http', path: 'Exact /strava/webhook' },
    { to: 'dashboard', port: 'http', path: 'Prefix /' },
  ];
  const show = (list: typeof routes) =>
    list
      .map((route) => `${route.path} → ${route.to}:${route.port}`)
      .sort()
      .join(', ');
  if (show(routes) !== show(expected))
    problems.push(`the Ingress must route only ${show(expected)}; routes ${show(routes)}`);
  if (ingresses[0]!.spec?.defaultBackend !== undefined) problems.push('the Ingress must have no default backend');
  return problems;
}
