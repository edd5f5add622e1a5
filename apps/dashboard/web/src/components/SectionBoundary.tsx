import { Component, type ReactNode } from 'react';

/**
 * Keeps a failing part of the page (a chunk that cannot load after a deploy, a rendering bug) from
 * taking the rest of the page down with it: it says so in its place and offers a reload.
 */
export class SectionBoundary extends Component<{ title: string; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="notice error" role="alert">
        <p className="notice-title">{this.props.title}</p>
        <p>Reload the page to try again.</p>
        <button type="button" className="button secondary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
