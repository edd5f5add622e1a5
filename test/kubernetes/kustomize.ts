import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as read from YAML. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every YAML document of a file (comments and empty documents dropped). */
export function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined);
}

function asObject(value: unknown, where: string): K8sObject {
  const object = value as Partial<K8sObject> | undefined;
  if (
    typeof object !== 'object' ||
    typeof object.apiVersion !== 'string' ||
    typeof object.kind !== 'string' ||
    typeof object.metadata?.name !== 'string'
  )
    throw new Error(`${where}: not a Kubernetes object (apiVersion, kind, metadata.name)`);
  return object as K8sObject;
}

const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'replicas', 'patches']);
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterTriggerAuthentication']);

interface Kustomization {
  namespace?: string;
  resources?: string[];
  images?: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>;
  replicas?: Array<{ name: string; count: number }>;
  patches?: Array<{ path?: string; patch?: string; target?: { kind?: string; name?: string } }>;
}

const key = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;

/** Strategic merge, as far as Runnerly's overlays use it: maps merge, anything else is replaced. */
function merge(target: Json, patch: Json): Json {
  if (
    typeof target !== 'object' ||
    target === null ||
    Array.isArray(target) ||
    typeof patch !== 'object' ||
    patch === null ||
    Array.isArray(patch)
  )
    return patch;
  const merged: { [key: string]: Json } = { ...target };
  for (const [name, value] of Object.entries(patch))
    merged[name] = name in target ? merge(target[name]!, value) : value;
  return merged;
}

/** RFC 6902 `replace`, `add` and `remove` on JSON pointers. */
function applyJsonPatch(object: K8sObject, operations: Array<{ op: string; path: string; value?: Json }>): void {
  for (const { op, path, value } of operations) {
    const segments = path
      .split('/')
      .slice(1)
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = segments.pop();
    let parent = object as unknown as { [key: string]: Json };
    for (const segment of segments) {
      const next = parent[segment];
      if (typeof next !== 'object' || next === null) throw new Error(`patch ${op} ${path}: no such path`);
      parent = next as { [key: string]: Json };
    }
    if (last === undefined) throw new Error(`patch ${op} ${path}: empty path`);
    if (op === 'replace' && !(last in parent)) throw new Error(`patch replace ${path}: no such path`);
    if (op === 'replace' || op === 'add') {
      if (Array.isArray(parent) && op === 'add') parent.splice(last === '-' ? parent.length : Number(last), 0, value!);
      else parent[last] = value!;
    } else if (op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else throw new Error(`patch op ${op} is not supported by this resolver`);
  }
}

function containersOf(object: K8sObject): Array<{ image?: string }> {
  const spec = (object.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
  return [
    ...((spec?.initContainers as Array<{ image?: string }> | undefined) ?? []),
    ...((spec?.containers as Array<{ image?: string }> | undefined) ?? []),
  ];
}

/** The image name without its tag or digest (a registry port is not a tag). */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * What `kubectl kustomize <dir>` renders, for the subset of kustomize Runnerly uses (resources,
 * namespace, images, replicas, strategic-merge and JSON 6902 patches). Anything else in a
 * kustomization.yaml is refused rather than silently ignored.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  const [document] = readYamlDocuments(file);
  const kustomization = document as Kustomization & Record<string, unknown>;
  for (const field of Object.keys(kustomization))
    if (!KUSTOMIZATION_FIELDS.has(field)) throw new Error(`${file}: ${field} is not supported by this resolver`);

  const objects: K8sObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    if (statSync(path).isDirectory()) objects.push(...renderKustomization(path));
    else objects.push(...readYamlDocuments(path).map((value, index) => asObject(value, `${path}#${index}`)));
  }
  const seen = new Set<string>();
  for (const object of objects) {
    if (seen.has(key(object))) throw new Error(`${file}: ${key(object)} is defined twice`);
    seen.add(key(object));
  }
  const find = (kind: string | undefined, name: string | undefined, where: string) => {
    const found = objects.filter(
      (object) => (kind === undefined || object.kind === kind) && (name === undefined || object.metadata.name === name),
    );
    if (found.length === 0) throw new Error(`${where}: no ${kind ?? '*'}/${name ?? '*'} to patch`);
    return found;
  };

  for (const patch of kustomization.patches ?? []) {
    if (patch.path !== undefined) {
      for (const value of readYamlDocuments(join(dir, patch.path))) {
        const partial = asObject(value, join(dir, patch.path));
        for (const object of find(partial.kind, partial.metadata.name, patch.path)) {
          const merged = merge(object as unknown as Json, partial as unknown as Json);
          Object.assign(object, merged);
        }
      }
    } else if (patch.patch !== undefined && patch.target !== undefined) {
      const [operations] = parseAllDocuments(patch.patch).map((doc) => doc.toJS() as unknown);
      if (!Array.isArray(operations)) throw new Error(`${file}: an inline patch must be a JSON 6902 list`);
      for (const object of find(patch.target.kind, patch.target.name, file))
        applyJsonPatch(object, operations as Array<{ op: string; path: string; value?: Json }>);
    } else throw new Error(`${file}: a patch needs a path, or a patch and a target`);
  }

  for (const image of kustomization.images ?? []) {
    for (const container of objects.flatMap(containersOf)) {
      if (container.image === undefined || imageName(container.image) !== image.name) continue;
      const name = image.newName ?? image.name;
      const current = container.image.slice(imageName(container.image).length);
      container.image = image.digest
        ? `${name}@${image.digest}`
        : image.newTag
          ? `${name}:${image.newTag}`
          : `${name}${current}`;
    }
  }

  for (const { name, count } of kustomization.replicas ?? []) {
    for (const object of find(undefined, name, file).filter((found) => SCALABLE.has(found.kind)))
      (object.spec as { replicas?: number }).replicas = count;
  }

  if (kustomization.namespace !== undefined) {
    for (const object of objects)
      if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
  }
  return objects;
}
