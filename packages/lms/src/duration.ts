/** An ISO 8601 duration for a number of minutes: 75 → `PT1H15M`, 10.7 → `PT10M42S`, 0 → `PT0M`. */
export function isoDuration(minutes: number): string {
  const totalSeconds = Math.max(0, Math.round(minutes * 60));
  const hours = Math.floor(totalSeconds / 3600);
  const mins = Math.floor((totalSeconds % 3600) / 60);
  const secs = totalSeconds % 60;
  let out = 'PT';
  if (hours > 0) out += `${hours}H`;
  if (mins > 0) out += `${mins}M`;
  if (secs > 0) out += `${secs}S`;
  return out === 'PT' ? 'PT0M' : out;
}

/** A duration as people read it: 75 → `1 hour 15 minutes`, 10.7 → `10 minutes 42 seconds`. */
export function describeDuration(minutes: number): string {
  const totalSeconds = Math.max(0, Math.round(minutes * 60));
  const hours = Math.floor(totalSeconds / 3600);
  const mins = Math.floor((totalSeconds % 3600) / 60);
  const secs = totalSeconds % 60;
  const parts: string[] = [];
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (hours > 0) parts.push(unit(hours, 'hour'));
  if (mins > 0) parts.push(unit(mins, 'minute'));
  if (secs > 0) parts.push(unit(secs, 'second'));
  return parts.length === 0 ? '0 minutes' : parts.join(' ');
}
