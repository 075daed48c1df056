import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as bcrypt from "bcryptjs";

export interface BcryptHashArgs {
    /** The value to hash. */
    readonly password: pulumi.Input<string>;
    /**
     * bcrypt cost factor. Dex accepts 10 to 16.
     * @default 10
     */
    readonly cost?: number;
    /**
     * Values that, when changed, draw a new salt. Pass the password's own keepers, so a rotated
     * password also gets a fresh salt.
     * @default {}
     */
    readonly keepers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Length of a bcrypt salt in bytes (22 characters of bcrypt's base64). */
const SALT_BYTES = 16;

/**
 * A bcrypt hash that is the same on every run for the same password.
 *
 * Why not `RandomPassword.bcryptHash`: it would be equally stable, but it is computed inside the
 * provider, so nothing offline can check it, and its cost is fixed. Here the salt is 16 random
 * bytes kept in state (`RandomBytes`) and the hash is computed by bcryptjs from password, salt
 * and cost: the same inputs give the same hash, so a `pulumi up` that rotates nothing pushes no
 * new secret version, and tests verify the real hash with independent implementations.
 */
export class BcryptHash extends pulumi.ComponentResource {
    public readonly hash: pulumi.Output<string>;

    constructor(name: string, args: BcryptHashArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:secrets:BcryptHash", name, {}, opts);
        // Dex's own bounds: below 10 is weak, above 16 makes every login slow.
        const cost = args.cost ?? 10;
        if (!Number.isInteger(cost) || cost < 10 || cost > 16) {
            throw new pulumi.ResourceError(`bcrypt cost must be a whole number from 10 to 16, got ${cost}`, this);
        }
        const salt = new random.RandomBytes(`${name}-salt`, { length: SALT_BYTES, keepers: args.keepers ?? {} }, { parent: this });
        this.hash = pulumi.secret(
            pulumi.all([args.password, salt.base64]).apply(([password, saltBase64]) => bcryptHash(password, saltBase64, cost)),
        );
        this.registerOutputs({ hash: this.hash });
    }
}

/**
 * Hashes computed in this process, by salt and cost, then password. bcrypt is a pure function of
 * the three and costs up to a second at cost 16; a process that evaluates the program more than
 * once (tests, the benchmark, `npm run rotate`) computes each hash once. Memory only: nothing of
 * it reaches state or output.
 */
const computed = new Map<string, Map<string, string>>();

/** bcrypt (`$2b$`) of `password` with a salt given as base64 of 16 bytes. */
export function bcryptHash(password: string, saltBase64: string, cost: number): string {
    const bySalt = computed.get(`${cost}$${saltBase64}`) ?? new Map<string, string>();
    computed.set(`${cost}$${saltBase64}`, bySalt);
    const known = bySalt.get(password);
    if (known !== undefined) {
        return known;
    }
    const hash = hashOnce(password, saltBase64, cost);
    bySalt.set(password, hash);
    return hash;
}

function hashOnce(password: string, saltBase64: string, cost: number): string {
    const bytes = Buffer.from(saltBase64, "base64");
    if (bytes.length < SALT_BYTES) {
        throw new Error(`bcrypt salt needs ${SALT_BYTES} bytes, got ${bytes.length}`);
    }
    const salt = `$2b$${String(cost).padStart(2, "0")}$${bcrypt.encodeBase64(bytes.subarray(0, SALT_BYTES), SALT_BYTES)}`;
    return bcrypt.hashSync(password, salt);
}
