import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { z } from 'zod';
import type { SettingsStore } from '../core/settings/settings-store';

const BoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean().default(false),
});
type SavedBounds = z.infer<typeof BoundsSchema>;

/** Saved bounds only if they still overlap a display (a monitor may have been unplugged since). */
function visibleBounds(saved: SavedBounds): SavedBounds | undefined {
  const onScreen = screen.getAllDisplays().some(({ workArea: a }: { workArea: Rectangle }) => {
    return (
      saved.x < a.x + a.width &&
      saved.x + saved.width > a.x &&
      saved.y < a.y + a.height &&
      saved.y + saved.height > a.y
    );
  });
  return onScreen ? saved : undefined;
}

/** Remembers a window's size and position under `key` in the settings file. */
export function rememberWindowState(settings: SettingsStore, key: string) {
  const parsed = BoundsSchema.safeParse(settings.get(key));
  const saved = parsed.success ? visibleBounds(parsed.data) : undefined;
  return {
    initial: saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : {},
    track(window: BrowserWindow) {
      if (saved?.maximized) window.maximize();
      const save = () => {
        if (window.isDestroyed() || window.isMinimized()) return;
        const bounds = window.getNormalBounds();
        settings.set(key, { ...bounds, maximized: window.isMaximized() });
      };
      window.on('close', save);
    },
  };
}
