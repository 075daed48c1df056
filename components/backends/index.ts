export * from "./awsSecretsManager";
export * from "./backend";
export * from "./base";
export * from "./contentVersion";
export * from "./gcpSecretManager";
export * from "./kinds";
export * from "./kubernetesSource";
export * from "./vaultKv";
