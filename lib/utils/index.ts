// torch.utils: `torch.utils.data.DataLoader` and friends.
export * as data from '../data';
