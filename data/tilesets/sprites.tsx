<?xml version="1.0" encoding="UTF-8"?>
<tileset version="1.10" tiledversion="1.10.2" name="sprites" tilewidth="32" tileheight="32" tilecount="42" columns="16">
 <image source="sprites.png" width="512" height="96"/>
 <tile id="0" type="player">
  <properties>
   <property name="crawl" value="MONS_EDMUND"/>
   <property name="sprite" value="class.warrior"/>
  </properties>
 </tile>
 <tile id="1" type="player">
  <properties>
   <property name="crawl" value="MONS_WIZARD"/>
   <property name="sprite" value="class.mage"/>
  </properties>
 </tile>
 <tile id="2" type="player">
  <properties>
   <property name="crawl" value="MONS_MAURICE"/>
   <property name="sprite" value="class.rogue"/>
  </properties>
 </tile>
 <tile id="3" type="npc">
  <properties>
   <property name="crawl" value="MONS_MARA"/>
   <property name="sprite" value="npc.elder_maren"/>
  </properties>
 </tile>
 <tile id="4" type="npc">
  <properties>
   <property name="crawl" value="MONS_VAULT_GUARD"/>
   <property name="sprite" value="npc.town_guard"/>
  </properties>
 </tile>
 <tile id="5" type="npc">
  <properties>
   <property name="crawl" value="MONS_VAULT_WARDEN"/>
   <property name="sprite" value="npc.captain_hale"/>
  </properties>
 </tile>
 <tile id="6" type="npc">
  <properties>
   <property name="crawl" value="MONS_HUMAN_2"/>
   <property name="sprite" value="npc.merchant_odo"/>
  </properties>
 </tile>
 <tile id="7" type="npc">
  <properties>
   <property name="crawl" value="MONS_PSYCHE"/>
   <property name="sprite" value="npc.herbalist_lina"/>
  </properties>
 </tile>
 <tile id="8" type="npc">
  <properties>
   <property name="crawl" value="MONS_JOSEPH"/>
   <property name="sprite" value="npc.scout_bryn"/>
  </properties>
 </tile>
 <tile id="9" type="npc">
  <properties>
   <property name="crawl" value="MONS_WOLF"/>
   <property name="sprite" value="npc.wolf"/>
  </properties>
 </tile>
 <tile id="10" type="npc">
  <properties>
   <property name="crawl" value="MONS_WARG"/>
   <property name="sprite" value="npc.dire_wolf"/>
  </properties>
 </tile>
 <tile id="11" type="npc">
  <properties>
   <property name="crawl" value="MONS_HOG"/>
   <property name="sprite" value="npc.boar"/>
  </properties>
 </tile>
 <tile id="12" type="npc">
  <properties>
   <property name="crawl" value="MONS_BLACK_BEAR"/>
   <property name="sprite" value="npc.black_bear"/>
  </properties>
 </tile>
 <tile id="13" type="npc">
  <properties>
   <property name="crawl" value="MONS_SONJA"/>
   <property name="sprite" value="npc.bandit"/>
  </properties>
 </tile>
 <tile id="14" type="npc">
  <properties>
   <property name="crawl" value="MONS_LOUISE"/>
   <property name="sprite" value="npc.bandit_brute"/>
  </properties>
 </tile>
 <tile id="15" type="npc">
  <properties>
   <property name="crawl" value="MONS_SKELETON_MEDIUM"/>
   <property name="sprite" value="npc.skeleton"/>
  </properties>
 </tile>
 <tile id="16" type="npc">
  <properties>
   <property name="crawl" value="MONS_SKELETAL_WARRIOR"/>
   <property name="sprite" value="npc.skeleton_warrior"/>
  </properties>
 </tile>
 <tile id="17" type="npc">
  <properties>
   <property name="crawl" value="MONS_ANCIENT_CHAMPION"/>
   <property name="sprite" value="npc.barrow_king"/>
  </properties>
 </tile>
 <tile id="18" type="item">
  <properties>
   <property name="crawl" value="GOLD05"/>
   <property name="sprite" value="gold"/>
  </properties>
 </tile>
 <tile id="19" type="item">
  <properties>
   <property name="crawl" value="POTION_OFFSET_8"/>
   <property name="sprite" value="item.health_potion"/>
  </properties>
 </tile>
 <tile id="20" type="item">
  <properties>
   <property name="crawl" value="POTION_OFFSET_1"/>
   <property name="sprite" value="item.mana_potion"/>
  </properties>
 </tile>
 <tile id="21" type="item">
  <properties>
   <property name="crawl" value="WPN_SHORT_SWORD"/>
   <property name="sprite" value="item.rusty_sword"/>
  </properties>
 </tile>
 <tile id="22" type="item">
  <properties>
   <property name="crawl" value="WPN_LONG_SWORD"/>
   <property name="sprite" value="item.militia_longsword"/>
  </properties>
 </tile>
 <tile id="23" type="item">
  <properties>
   <property name="crawl" value="WPN_QUARTERSTAFF"/>
   <property name="sprite" value="item.oak_staff"/>
  </properties>
 </tile>
 <tile id="24" type="item">
  <properties>
   <property name="crawl" value="WPN_DAGGER"/>
   <property name="sprite" value="item.worn_dagger"/>
  </properties>
 </tile>
 <tile id="25" type="item">
  <properties>
   <property name="crawl" value="ARM_LEATHER_ARMOUR"/>
   <property name="sprite" value="item.leather_jerkin"/>
  </properties>
 </tile>
 <tile id="26" type="item">
  <properties>
   <property name="crawl" value="ARM_ROBE"/>
   <property name="sprite" value="item.apprentice_robe"/>
  </properties>
 </tile>
 <tile id="27" type="item">
  <properties>
   <property name="crawl" value="ARM_BOOTS"/>
   <property name="sprite" value="item.traveler_boots"/>
  </properties>
 </tile>
 <tile id="28" type="item">
  <properties>
   <property name="crawl" value="ARM_CLOAK"/>
   <property name="sprite" value="item.wolf_pelt"/>
  </properties>
 </tile>
 <tile id="29" type="item">
  <properties>
   <property name="crawl" value="ARM_GLOVES"/>
   <property name="sprite" value="item.leather_gloves"/>
  </properties>
 </tile>
 <tile id="30" type="item">
  <properties>
   <property name="crawl" value="AMU_NORMAL_OFFSET"/>
   <property name="sprite" value="item.barrow_amulet"/>
  </properties>
 </tile>
 <tile id="31" type="item">
  <properties>
   <property name="crawl" value="RING_NORMAL_OFFSET"/>
   <property name="sprite" value="item.signet_ring"/>
  </properties>
 </tile>
 <tile id="32" type="item">
  <properties>
   <property name="crawl" value="SCROLL"/>
   <property name="sprite" value="item.stolen_ledger"/>
  </properties>
 </tile>
 <tile id="33" type="item">
  <properties>
   <property name="crawl" value="FOOD_BONE"/>
   <property name="sprite" value="item.bone_fragment"/>
  </properties>
 </tile>
 <tile id="34" type="item">
  <properties>
   <property name="crawl" value="FOOD_BONE_1"/>
   <property name="sprite" value="item.boar_tusk"/>
  </properties>
 </tile>
 <tile id="35" type="item">
  <properties>
   <property name="crawl" value="FOOD_CHUNK"/>
   <property name="sprite" value="item.bear_meat"/>
  </properties>
 </tile>
 <tile id="36" type="item">
  <properties>
   <property name="crawl" value="FOOD_RATION"/>
   <property name="sprite" value="item.bread"/>
  </properties>
 </tile>
 <tile id="37" type="corpse">
  <properties>
   <property name="crawl" value="CORPSE_HUMAN"/>
   <property name="sprite" value="corpse"/>
  </properties>
 </tile>
 <tile id="38" type="corpse">
  <properties>
   <property name="crawl" value="CORPSE_WOLF"/>
   <property name="sprite" value="corpse.wolf"/>
  </properties>
 </tile>
 <tile id="39" type="corpse">
  <properties>
   <property name="crawl" value="CORPSE_HOG"/>
   <property name="sprite" value="corpse.boar"/>
  </properties>
 </tile>
 <tile id="40" type="corpse">
  <properties>
   <property name="crawl" value="CORPSE_BLACK_BEAR"/>
   <property name="sprite" value="corpse.bear"/>
  </properties>
 </tile>
 <tile id="41" type="corpse">
  <properties>
   <property name="crawl" value="FOOD_BONE_HUMANOID"/>
   <property name="sprite" value="corpse.bones"/>
  </properties>
 </tile>
</tileset>
