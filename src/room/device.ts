/**
 * What a member's page says about its device: derived from the user agent and a few features,
 * never typed by the person holding it (the join page asks nothing but a tap). Pure.
 */
import { NAME_MAX, type DeviceInfo, type DeviceKind } from "./protocol.ts";

export interface DeviceClues {
  userAgent: string;
  /** `navigator.maxTouchPoints` */
  touchPoints: number;
  /** `navigator.hardwareConcurrency`, 0 or undefined when the browser does not tell */
  cores?: number;
}

function platform({ userAgent: ua, touchPoints }: DeviceClues): { name: string; kind: DeviceKind } {
  if (/iPhone|iPod/.test(ua)) return { name: "iPhone", kind: "phone" };
  // iPadOS asks for desktop pages and says "Macintosh"; its touch screen gives it away.
  if (/iPad/.test(ua) || (/Macintosh/.test(ua) && touchPoints > 1))
    return { name: "iPad", kind: "tablet" };
  if (/Android/.test(ua))
    return /Mobile/.test(ua)
      ? { name: "Android phone", kind: "phone" }
      : { name: "Android tablet", kind: "tablet" };
  if (/CrOS/.test(ua)) return { name: "Chromebook", kind: "computer" };
  if (/Windows/.test(ua)) return { name: "Windows PC", kind: "computer" };
  if (/Macintosh|Mac OS X/.test(ua)) return { name: "Mac", kind: "computer" };
  if (/Linux|X11/.test(ua)) return { name: "Linux PC", kind: "computer" };
  return { name: "Device", kind: "unknown" };
}

function browser(ua: string): string {
  if (/Edg(A|iOS)?\//.test(ua)) return "Edge";
  if (/OPR\/|Opera/.test(ua)) return "Opera";
  if (/SamsungBrowser\//.test(ua)) return "Samsung Internet";
  if (/Firefox\/|FxiOS\//.test(ua)) return "Firefox";
  if (/Chrome\/|CriOS\/|Chromium\//.test(ua)) return "Chrome";
  if (/Safari\//.test(ua)) return "Safari";
  return "";
}

export function describeDevice(clues: DeviceClues, backend: string): DeviceInfo {
  const { name, kind } = platform(clues);
  const app = browser(clues.userAgent);
  const cores =
    clues.cores && Number.isInteger(clues.cores) && clues.cores >= 1
      ? Math.min(clues.cores, 1024)
      : null;
  return { name: (app ? `${name} · ${app}` : name).slice(0, NAME_MAX), kind, backend, cores };
}
