// One formatter for sizes, shared with download messages from src/diffusion.
export { formatSize } from '../../diffusion/fetch-limits'
