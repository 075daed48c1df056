/**
 * Resource type tokens the tests look resources up by, one constant per token. They are the
 * providers' own tokens (the `type` of each resource class in @pulumi/gcp, @pulumi/aws,
 * @pulumi/kubernetes, @pulumi/random, @pulumiverse/time, @pulumi/vault), plus this program's
 * component tokens where a test needs one; held here, not read from the program under test.
 */

// Google Cloud (@pulumi/gcp)
export const GCP_SECRET = "gcp:secretmanager/secret:Secret";
export const GCP_SECRET_VERSION = "gcp:secretmanager/secretVersion:SecretVersion";
export const GCP_SECRET_IAM_MEMBER = "gcp:secretmanager/secretIamMember:SecretIamMember";
export const GCP_SQL_INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance";
export const GCP_SQL_DATABASE = "gcp:sql/database:Database";
export const GCP_SQL_USER = "gcp:sql/user:User";
export const GCP_REDIS_INSTANCE = "gcp:redis/instance:Instance";
export const GCP_RUN_SERVICE = "gcp:cloudrunv2/service:Service";
export const GCP_RUN_IAM_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
export const GCP_PROJECT_IAM_MEMBER = "gcp:projects/iAMMember:IAMMember";
export const GCP_AUDIT_CONFIG = "gcp:projects/iAMAuditConfig:IAMAuditConfig";
export const GCP_SERVICE_IDENTITY = "gcp:projects/serviceIdentity:ServiceIdentity";
export const GCP_SERVICE_ACCOUNT = "gcp:serviceaccount/account:Account";
export const GCP_SERVICE_ACCOUNT_IAM_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
export const GCP_NETWORK = "gcp:compute/network:Network";
export const GCP_SUBNETWORK = "gcp:compute/subnetwork:Subnetwork";
export const GCP_GLOBAL_ADDRESS = "gcp:compute/globalAddress:GlobalAddress";
export const GCP_SERVICE_NETWORKING_CONNECTION = "gcp:servicenetworking/connection:Connection";
export const GCP_ALERT_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
export const GCP_NOTIFICATION_CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel";
export const GCP_LOG_METRIC = "gcp:logging/metric:Metric";
export const GCP_PUBSUB_TOPIC = "gcp:pubsub/topic:Topic";
export const GCP_PUBSUB_TOPIC_IAM_MEMBER = "gcp:pubsub/topicIAMMember:TopicIAMMember";

// AWS (@pulumi/aws)
export const AWS_SECRET = "aws:secretsmanager/secret:Secret";
export const AWS_SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
export const AWS_SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
export const AWS_IAM_ROLE = "aws:iam/role:Role";
export const AWS_IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const AWS_IAM_USER = "aws:iam/user:User";
export const AWS_IAM_USER_POLICY = "aws:iam/userPolicy:UserPolicy";

// Kubernetes (@pulumi/kubernetes)
export const K8S_NAMESPACE = "kubernetes:core/v1:Namespace";
export const K8S_SECRET = "kubernetes:core/v1:Secret";
export const K8S_SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
export const K8S_PROVIDER = "pulumi:providers:kubernetes";

// Vault (@pulumi/vault)
export const VAULT_POLICY = "vault:index/policy:Policy";
export const VAULT_K8S_AUTH_ROLE = "vault:kubernetes/authBackendRole:AuthBackendRole";

// random (@pulumi/random) and time (@pulumiverse/time)
export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
export const RANDOM_BYTES = "random:index/randomBytes:RandomBytes";
export const ROTATING = "time:index/rotating:Rotating";

// This program's components (`llm-platform-secrets:<module>:<Name>`)
export const GENERATED_SECRET = "llm-platform-secrets:secrets:GeneratedSecret";
