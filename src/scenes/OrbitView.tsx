// Orbit / zoom / pan for both 3D views, bound to the element r3f listens on. With the read-back presenter
// (present.ts) the renderer draws on an OffscreenCanvas, which has no style and takes no events, so the controls
// must never fall back to gl.domElement: they mount once the event target is connected.
import { OrbitControls } from '@react-three/drei'
import { useThree } from '@react-three/fiber'

export function OrbitView() {
  const connected = useThree((s) => s.events.connected) as HTMLElement | undefined
  if (!connected || !('style' in connected)) return null
  return <OrbitControls makeDefault enableDamping={false} domElement={connected} />
}
