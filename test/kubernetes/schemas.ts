import { join } from 'node:path';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import ts from 'typescript';
import type { K8sObject } from './kustomize.js';

interface Model {
  validate(): void;
}

/** Each kind Runnerly deploys: its model (the OpenAPI schema, compiled) and its TypeScript interface. */
const KINDS: Record<string, { model: new (data: never) => Model; types: [module: string, name: string] }> = {
  'v1/Namespace': { model: Namespace, types: ['kubernetes-models/v1/Namespace', 'INamespace'] },
  'v1/ConfigMap': { model: ConfigMap, types: ['kubernetes-models/v1/ConfigMap', 'IConfigMap'] },
  'v1/Secret': { model: Secret, types: ['kubernetes-models/v1/Secret', 'ISecret'] },
  'v1/Service': { model: Service, types: ['kubernetes-models/v1/Service', 'IService'] },
  'v1/ServiceAccount': { model: ServiceAccount, types: ['kubernetes-models/v1/ServiceAccount', 'IServiceAccount'] },
  'apps/v1/Deployment': { model: Deployment, types: ['kubernetes-models/apps/v1/Deployment', 'IDeployment'] },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    types: ['kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', 'IHorizontalPodAutoscaler'],
  },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    types: ['kubernetes-models/policy/v1/PodDisruptionBudget', 'IPodDisruptionBudget'],
  },
  'networking.k8s.io/v1/NetworkPolicy': {
    model: NetworkPolicy,
    types: ['kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'INetworkPolicy'],
  },
  'networking.k8s.io/v1/Ingress': {
    model: Ingress,
    types: ['kubernetes-models/networking.k8s.io/v1/Ingress', 'IIngress'],
  },
  'keda.sh/v1alpha1/ScaledObject': {
    model: ScaledObject,
    types: ['@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject', 'IScaledObject'],
  },
  'keda.sh/v1alpha1/TriggerAuthentication': {
    model: TriggerAuthentication,
    types: ['@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication', 'ITriggerAuthentication'],
  },
};

export const describeObject = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;

/**
 * Errors of each object against the Kubernetes (and KEDA) OpenAPI schemas: types, required fields,
 * enums and formats, by kubernetes-models' compiled validators. Those let unknown fields through
 * (the API server refuses them under strict field validation), so `unknownFieldErrors` adds that.
 */
export function schemaErrors(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const object of objects) {
    const kind = KINDS[`${object.apiVersion}/${object.kind}`];
    if (kind === undefined) {
      errors.push(`${describeObject(object)}: ${object.apiVersion} ${object.kind} is not a kind this test knows`);
      continue;
    }
    try {
      new kind.model(structuredClone(object) as never).validate();
    } catch (error) {
      errors.push(`${describeObject(object)}: ${(error as Error).message}`);
    }
  }
  return errors;
}

/**
 * Unknown or misspelt fields, anywhere in an object: each object becomes an object literal typed
 * with its kind's interface (generated from the same OpenAPI schema), and TypeScript's excess
 * property check names what the schema does not have.
 */
export function unknownFieldErrors(objects: K8sObject[], root: string): string[] {
  const known = objects.filter((object) => KINDS[`${object.apiVersion}/${object.kind}`] !== undefined);
  const file = join(root, 'test', 'kubernetes', '__manifests__.ts');
  const imports = new Set<string>();
  const lines: string[] = [];
  known.forEach((object, index) => {
    const [module, name] = KINDS[`${object.apiVersion}/${object.kind}`]!.types;
    imports.add(`import type { ${name} as T${name} } from '${module}';`);
    lines.push(`export const o${index}: T${name} = ${JSON.stringify(object)};`);
  });
  const source = [...imports, ...lines].join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const line =
      diagnostic.start === undefined ? -1 : diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start).line;
    const object = known[line - imports.size];
    return `${object ? describeObject(object) : 'manifests'}: ${message.slice(0, 300)}`;
  });
}
