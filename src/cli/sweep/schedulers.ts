// Ready-to-submit array-job scripts for a planned sweep. Each array element runs `dds sweep run DIR`, which
// takes its index from the scheduler's variable. A time limit sends SIGTERM first (Slurm waits KillWait, 30 s
// by default, before SIGKILL): the job stops, writes an interrupted result, and a resubmission redoes only the
// jobs without a finished result.
export const SCHEDULERS = ['slurm', 'k8s', 'pbs'] as const
export type Scheduler = (typeof SCHEDULERS)[number]

/** the script's file name inside the sweep folder */
export const SCRIPT_FILE: Record<Scheduler, string> = { slurm: 'sweep.sbatch', k8s: 'sweep-job.yaml', pbs: 'sweep.pbs' }

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

export interface ScriptInput {
  /** absolute path of the sweep folder on the cluster's shared file system */
  dir: string
  jobs: number
  /** a name for the job: lower-case letters, digits and dashes */
  name: string
}

function slurm({ dir, jobs, name }: ScriptInput): string {
  return `#!/bin/bash
# Slurm array job for the sweep in ${dir}: submit with \`sbatch ${SCRIPT_FILE.slurm}\`.
# Every array task runs one job; SLURM_ARRAY_TASK_ID picks it. Limit how many run at once with --array=0-${jobs - 1}%N.
#SBATCH --job-name=${name}
#SBATCH --array=0-${jobs - 1}
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=${dir}/logs/%A_%a.log
exec dds sweep run ${shellQuote(dir)} --json
`
}

function pbs({ dir, jobs, name }: ScriptInput): string {
  return `#!/bin/bash
# PBS Pro array job for the sweep in ${dir}: submit with \`qsub ${SCRIPT_FILE.pbs}\`.
# Every subjob runs one job; PBS_ARRAY_INDEX picks it.
#PBS -N ${name}
#PBS -J 0-${jobs - 1}
#PBS -l select=1:ncpus=1:mem=4gb
#PBS -l walltime=02:00:00
#PBS -j oe
#PBS -o ${dir}/logs/
exec dds sweep run ${shellQuote(dir)} --json
`
}

function k8s({ jobs, name }: ScriptInput): string {
  return `# Kubernetes Indexed Job for this sweep: copy the sweep folder into the volume claim "${name}", then
# \`kubectl apply -f ${SCRIPT_FILE.k8s}\`. Each pod runs one job; JOB_COMPLETION_INDEX picks it.
# The image is the container of docs/batch.md (dds on its PATH); the folder is mounted at /sweep.
apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  completionMode: Indexed
  completions: ${jobs}
  parallelism: ${Math.min(jobs, 8)}
  backoffLimit: ${jobs}
  template:
    spec:
      restartPolicy: Never
      # SIGTERM on deletion or eviction: the job writes an interrupted result within this grace period
      terminationGracePeriodSeconds: 60
      containers:
        - name: dds
          image: dds:latest
          args: ["sweep", "run", "/sweep", "--json"]
          resources:
            requests: { cpu: "1", memory: 4Gi }
            limits: { memory: 4Gi }
          volumeMounts:
            - { name: sweep, mountPath: /sweep }
      volumes:
        - name: sweep
          persistentVolumeClaim: { claimName: ${name} }
`
}

export function schedulerScript(kind: Scheduler, input: ScriptInput): string {
  return { slurm, k8s, pbs }[kind](input)
}
