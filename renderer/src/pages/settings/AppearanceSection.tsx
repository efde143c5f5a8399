import { useHearth } from "../../store/index.js";
import type { Theme } from "../../store/settings-slice.js";
import { PageSection } from "../../components/PageSection.js";

const THEMES: ReadonlyArray<{ theme: Theme; label: string; hint: string }> = [
  { theme: "light", label: "Light", hint: "Always light" },
  { theme: "dark", label: "Dark", hint: "Always dark" },
  { theme: "system", label: "System", hint: "Follows your system's setting" },
];

/** The theme: light, dark or the system's; a choice applies at once and is saved. */
export function AppearanceSection() {
  const theme = useHearth((state) => state.settings?.theme);
  const updateSettings = useHearth((state) => state.updateSettings);
  return (
    <PageSection page="settings" id="appearance" title="Appearance">
      <fieldset className="settings-fieldset" disabled={theme === undefined}>
        <legend className="settings-legend">Theme</legend>
        <div className="theme-choices">
          {THEMES.map((choice) => (
            <label key={choice.theme} className="theme-choice" data-theme-choice={choice.theme}>
              <input
                type="radio"
                name="theme"
                value={choice.theme}
                checked={theme === choice.theme}
                data-testid={`theme-${choice.theme}`}
                onChange={() => void updateSettings({ theme: choice.theme })}
              />
              <span className={`theme-swatch theme-swatch-${choice.theme}`} aria-hidden="true" />
              <span className="theme-choice-text">
                <span className="theme-choice-label">{choice.label}</span>
                <span className="theme-choice-hint muted">{choice.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
    </PageSection>
  );
}
