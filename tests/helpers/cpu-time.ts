/**
 * CPU time this process has used, in ms (user + system, all its threads). Unlike the wall
 * clock it does not grow while other programs hold the cores, so a bound on it holds on a busy
 * machine: "stops within 1.5 s of CPU" means the same whether the machine is idle or not.
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** CPU time (ms) spent while `work` ran, and what it returned. */
export async function cpuTimeOf<T>(work: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const before = cpuMs()
  const value = await work()
  return { ms: cpuMs() - before, value }
}
